"""A real job queue through the server: python3-rq 1.13 (Debian's package)
with `rq worker` processes, the way an application deploys it.

The producer side (Queue.enqueue & co.) runs in the test with redis-py; the
jobs run in `rq worker` subprocesses that import them from rq_jobs.py. What
rq uses of the server: pipelines in MULTI/EXEC with WATCH, lists (the
queues; BLPOP for an idle worker), sorted sets (the registries, ZRANGEBYSCORE
with scores as timestamps), hashes (jobs, workers), sets, streams (results:
XADD with MAXLEN, XREVRANGE), key expiry (result_ttl, worker TTL), pub/sub
(the worker's command channel), CLIENT SETNAME/LIST.
"""

import os
import signal
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import pytest
from rq import Queue, Retry, Worker
from rq.job import Job, JobStatus
from rq.registry import (DeferredJobRegistry, FailedJobRegistry,
                         FinishedJobRegistry, ScheduledJobRegistry)

import rq_jobs

HERE = Path(__file__).resolve().parent
RQ_BIN = "/usr/bin/rq"

pytestmark = pytest.mark.skipif(not os.path.exists(RQ_BIN),
                                reason="python3-rq is not installed (scripts/install-deps.sh)")


def worker_cmd(server, *args):
    return [RQ_BIN, "worker", "--url", f"redis://{server.host}:{server.port}/0",
            "--path", str(HERE), "--logging_level", "WARNING", *args]


def run_burst(server, *args, timeout=60):
    """Runs `rq worker --burst` until the queues are empty; returns its output."""
    p = subprocess.run(worker_cmd(server, "--burst", *args), capture_output=True,
                       text=True, timeout=timeout)
    assert p.returncode == 0, p.stdout + p.stderr
    return p.stdout + p.stderr


def wait_for(predicate, timeout=20, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def server(flushed_server):
    """One server for the module (each test starts from FLUSHALL)."""
    return flushed_server


@pytest.fixture
def conn(server):
    # rq pickles results and arguments: the connection must return bytes.
    return server.client()


def test_jobs_succeed_and_fail(server, conn):
    q = Queue("default", connection=conn)
    ok = q.enqueue(rq_jobs.add, 2, 3)
    bad = q.enqueue(rq_jobs.fail, "boom")
    assert q.count == 2
    assert ok.get_status() == JobStatus.QUEUED

    run_burst(server, "default")

    ok = Job.fetch(ok.id, connection=conn)
    assert ok.get_status() == JobStatus.FINISHED
    assert ok.return_value() == 5
    latest = ok.latest_result()  # rq 1.12+: results are stream entries
    assert latest.type == latest.Type.SUCCESSFUL and latest.return_value == 5
    assert conn.type(f"rq:results:{ok.id}") == b"stream"

    bad = Job.fetch(bad.id, connection=conn)
    assert bad.get_status() == JobStatus.FAILED
    failed = bad.latest_result()
    assert failed.type == failed.Type.FAILED
    assert "ValueError: boom" in failed.exc_string

    assert q.count == 0
    assert FinishedJobRegistry(queue=q).get_job_ids() == [ok.id]
    assert FailedJobRegistry(queue=q).get_job_ids() == [bad.id]

    # A failed job can be requeued from the registry and fails again.
    FailedJobRegistry(queue=q).requeue(bad.id)
    assert q.job_ids == [bad.id]
    run_burst(server, "default")
    assert Job.fetch(bad.id, connection=conn).get_status() == JobStatus.FAILED


def test_result_ttl_and_job_ttl(server, conn):
    q = Queue("ttl", connection=conn)
    keep = q.enqueue(rq_jobs.add, 1, 1, result_ttl=300)
    forget = q.enqueue(rq_jobs.add, 1, 2, result_ttl=0)
    forever = q.enqueue(rq_jobs.add, 1, 3, result_ttl=-1)
    run_burst(server, "ttl")

    assert 0 < conn.ttl(keep.key) <= 300
    assert Job.fetch(keep.id, connection=conn).return_value() == 2
    assert not conn.exists(forget.key)  # result_ttl=0: deleted when done
    assert conn.ttl(forever.key) == -1
    assert Job.fetch(forever.id, connection=conn).return_value() == 4


def test_retries(server, conn):
    q = Queue("retry", connection=conn)
    counter = "test:flaky-runs"
    job = q.enqueue(rq_jobs.flaky, counter, 2, retry=Retry(max=3))
    never = q.enqueue(rq_jobs.flaky, "test:never-runs", 10, retry=Retry(max=2))
    run_burst(server, "retry")

    job = Job.fetch(job.id, connection=conn)
    assert job.get_status() == JobStatus.FINISHED
    assert job.return_value() == 3
    assert int(conn.get(counter)) == 3
    never = Job.fetch(never.id, connection=conn)
    assert never.get_status() == JobStatus.FAILED
    assert int(conn.get("test:never-runs")) == 3  # the first run and 2 retries


def test_dependencies(server, conn):
    q = Queue("deps", connection=conn)
    a = q.enqueue(rq_jobs.add, 1, 2)
    b = q.enqueue(rq_jobs.add, 10, 20)
    both = q.enqueue(rq_jobs.concat_dependencies, depends_on=[a, b])
    after_fail = q.enqueue(rq_jobs.add, 0, 0, depends_on=q.enqueue(rq_jobs.fail, "x"))
    assert both.get_status() == JobStatus.DEFERRED
    assert set(DeferredJobRegistry(queue=q).get_job_ids()) == {both.id, after_fail.id}

    run_burst(server, "deps")

    both = Job.fetch(both.id, connection=conn)
    assert both.get_status() == JobStatus.FINISHED
    assert both.return_value() == "3+30"
    # A job whose dependency failed stays deferred.
    assert Job.fetch(after_fail.id, connection=conn).get_status() == JobStatus.DEFERRED
    assert DeferredJobRegistry(queue=q).get_job_ids() == [after_fail.id]


def test_scheduled_jobs(server, conn):
    q = Queue("sched", connection=conn)
    soon = q.enqueue_in(timedelta(seconds=1), rq_jobs.record, "test:order", "soon")
    later = q.enqueue_in(timedelta(hours=1), rq_jobs.record, "test:order", "later")
    now = q.enqueue(rq_jobs.record, "test:order", "now")
    registry = ScheduledJobRegistry(queue=q)
    assert set(registry.get_job_ids()) == {soon.id, later.id}
    assert soon.get_status() == JobStatus.SCHEDULED

    time.sleep(1.2)
    run_burst(server, "--with-scheduler", "sched")

    assert conn.lrange("test:order", 0, -1) == [b"now", b"soon"]
    assert Job.fetch(soon.id, connection=conn).get_status() == JobStatus.FINISHED
    assert registry.get_job_ids() == [later.id]
    assert Job.fetch(later.id, connection=conn).get_status() == JobStatus.SCHEDULED


def test_idle_worker_wakes_on_enqueue(server, conn):
    """A long-running worker waits in BLPOP; an enqueue from another client
    wakes it; SIGTERM stops it cleanly (warm shutdown)."""
    proc = subprocess.Popen(worker_cmd(server, "--name", "w1", "default", "other"),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_for(lambda: [w.name for w in Worker.all(connection=conn)] == ["w1"],
                 what="the worker to register")
        w = Worker.find_by_key(Worker.redis_worker_namespace_prefix + "w1", connection=conn)
        assert [q.name for q in w.queues] == ["default", "other"]
        time.sleep(0.3)  # let it reach its BLPOP
        q = Queue("other", connection=conn)
        jobs = [q.enqueue(rq_jobs.add, i, i) for i in range(5)]
        for job in jobs:
            wait_for(lambda: job.get_status(refresh=True) == JobStatus.FINISHED,
                     what=f"job {job.id}")
        assert [j.return_value() for j in jobs] == [0, 2, 4, 6, 8]
        assert Worker.find_by_key(w.key, connection=conn).successful_job_count == 5
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out
    assert Worker.all(connection=conn) == []
