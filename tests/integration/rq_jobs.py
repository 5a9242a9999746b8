"""Job functions for test_rq.py. They live in an importable module because an
rq worker imports a job's function by its dotted name (`rq_jobs.add`); the
worker is started with this folder on its path."""

import time

from rq import get_current_job


def add(a, b):
    return a + b


def fail(message):
    raise ValueError(message)


def flaky(counter_key, failures):
    """Fails its first `failures` runs, then returns the run number. The count
    is kept in the server, so it survives rq's retries in new work horses."""
    job = get_current_job()
    run = job.connection.incr(counter_key)
    if run <= failures:
        raise RuntimeError(f"run {run} fails")
    return run


def concat_dependencies():
    """Returns the results of the jobs it depends on, joined."""
    job = get_current_job()
    return "+".join(str(dep.result) for dep in job.fetch_dependencies())


def record(list_key, value):
    """Appends `value` to a list: shows the order in which jobs ran."""
    get_current_job().connection.rpush(list_key, value)
    return value


def sleep_then(seconds, value):
    time.sleep(seconds)
    return value
