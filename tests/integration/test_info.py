"""INFO: sections, section selection (default / all / everything / several
names), and field presence and types checked against the fields a real
redis-server 7.0 emits, read by this test from the reference server itself.
Fields Strata does not emit yet are listed, with the reason, in
NOT_YET_EMITTED below: the test fails when Strata lacks a field that is not
listed, and when a listed field appears (so the list shrinks as Strata grows).
"""

import re
import signal
import subprocess
import time

import pytest
import redis

from conftest import _binary_path, free_port
from resp3 import RespConnection

# Fields of redis-server 7.0.15's INFO that Strata does not emit yet.
NOT_YET_EMITTED = {
    # server: Strata has no build id, and no supervision (systemd/upstart) mode.
    "redis_build_id",
    # clients: no client eviction (maxmemory-clients) yet.
    # memory: needs the hot tier's dataset/overhead split (coordinator's issue),
    # Lua (scripting issue), the replication backlog (replication issue).
    "used_memory_overhead", "used_memory_startup", "used_memory_dataset",
    "used_memory_dataset_perc", "used_memory_lua", "used_memory_vm_eval",
    "used_memory_lua_human", "used_memory_scripts_eval", "number_of_cached_scripts",
    "number_of_functions", "number_of_libraries", "used_memory_vm_functions",
    "used_memory_vm_total", "used_memory_vm_total_human", "used_memory_functions",
    "used_memory_scripts", "used_memory_scripts_human", "mem_not_counted_for_evict",
    "mem_replication_backlog", "mem_total_replication_buffers", "mem_clients_slaves",
    "mem_clients_normal", "mem_cluster_links", "mem_aof_buffer", "active_defrag_running",
    "lazyfree_pending_objects", "lazyfreed_objects",
    # persistence: Strata never forks or writes RDB files (the WAL is the
    # append-only file); these describe fork-based saves and AOF rewrites.
    "current_cow_peak", "current_cow_size", "current_cow_size_age", "current_fork_perc",
    "current_save_keys_processed", "current_save_keys_total", "rdb_changes_since_last_save",
    "rdb_last_bgsave_time_sec", "rdb_current_bgsave_time_sec", "rdb_saves",
    "rdb_last_cow_size", "rdb_last_load_keys_expired", "rdb_last_load_keys_loaded",
    "aof_last_rewrite_time_sec", "aof_current_rewrite_time_sec", "aof_last_bgrewrite_status",
    "aof_rewrites", "aof_rewrites_consecutive_failures", "aof_last_cow_size",
    "module_fork_in_progress", "module_fork_last_cow_size",
    # Redis with appendonly yes adds these (the reference runs with appendonly yes).
    "aof_current_size", "aof_base_size", "aof_pending_rewrite", "aof_buffer_length",
    "aof_pending_bio_fsync", "aof_delayed_fsync",
    # stats: keyspace hits/misses need the
    # engine to count them (hot tier); replication, defrag, pub/sub
    # figures come with those issues.
    "total_net_repl_input_bytes", "total_net_repl_output_bytes", "instantaneous_input_repl_kbps",
    "instantaneous_output_repl_kbps", "sync_full", "sync_partial_ok", "sync_partial_err",
    "expired_stale_perc", "total_eviction_exceeded_time", "current_eviction_exceeded_time",
    "keyspace_hits", "keyspace_misses", "migrate_cached_sockets",
    "slave_expires_tracked_keys", "active_defrag_hits", "active_defrag_misses",
    "active_defrag_key_hits", "active_defrag_key_misses", "total_active_defrag_time",
    "current_active_defrag_time", "unexpected_error_replies", "dump_payload_sanitizations",
    "io_threaded_reads_processed",
    "io_threaded_writes_processed", "reply_buffer_shrinks", "reply_buffer_expands",
    # replication: no backlog until the replication issue.
    "repl_backlog_size", "repl_backlog_first_byte_offset", "repl_backlog_histlen",
    # cpu: Strata has no main thread (several I/O threads).
    "used_cpu_sys_main_thread", "used_cpu_user_main_thread",
}

INT = re.compile(r"^-?\d+$")
FLOAT = re.compile(r"^-?\d+\.\d+$")


def kind(value):
    if INT.match(value):
        return "int"
    if FLOAT.match(value):
        return "float"
    return "str"


def parse_info(text):
    """{section: {field: value}} from INFO's text."""
    sections, current = {}, None
    for line in text.splitlines():
        if line.startswith("# "):
            current = sections.setdefault(line[2:].strip().lower(), {})
        elif line and current is not None:
            k, _, v = line.partition(":")
            current[k] = v
    return sections


def info_text(r, *args):
    """INFO's text; `r` is a redis.Redis (whose own INFO parsing we avoid)."""
    kw = r.connection_pool.connection_kwargs
    with RespConnection(kw.get("host", "127.0.0.1"), kw["port"]) as c:
        return bytes(c.cmd("INFO", *args)).decode()


def workload(r):
    r.set("a", "1")
    r.get("a")
    r.set("b", "2", ex=100)
    try:
        r.execute_command("NOSUCHCOMMAND")
    except redis.ResponseError:
        pass
    try:
        r.execute_command("INCR", "a", "extra")
    except redis.ResponseError:
        pass


@pytest.fixture(scope="module")
def reference_info(pytestconfig, tmp_path_factory):
    """INFO everything of a real redis-server after the same workload."""
    binary = _binary_path(pytestconfig, "redis")
    port = free_port()
    d = tmp_path_factory.mktemp("reference")
    proc = subprocess.Popen([str(binary), "--port", str(port), "--bind", "127.0.0.1", "--dir",
                             str(d), "--save", "", "--appendonly", "yes", "--logfile", ""],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        r = redis.Redis(port=port)
        deadline = time.monotonic() + 20
        while True:
            try:
                r.ping()
                break
            except redis.ConnectionError:
                assert time.monotonic() < deadline
                time.sleep(0.05)
        workload(r)
        return parse_info(info_text(r, "everything"))
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(15)


@pytest.fixture
def r(flushed_server):
    c = flushed_server.client()
    c.execute_command("CONFIG", "RESETSTAT")
    return c


def test_fields_and_types_match_redis(r, reference_info, server_kind):
    workload(r)
    ours = parse_info(info_text(r, "everything"))
    missing, wrong_type, listed_but_present = [], [], []
    for section in ("server", "clients", "memory", "persistence", "stats", "replication", "cpu",
                    "cluster"):
        assert section in ours, section
        for field, value in reference_info[section].items():
            if field not in ours[section]:
                if field not in NOT_YET_EMITTED:
                    missing.append(f"{section}.{field}")
                continue
            if field in NOT_YET_EMITTED:
                listed_but_present.append(field)
            if kind(ours[section][field]) != kind(value):
                wrong_type.append(f"{section}.{field}={ours[section][field]!r} (redis {value!r})")
    assert missing == []
    assert wrong_type == []
    if server_kind == "strata":
        assert listed_but_present == []  # emitted now: take it off NOT_YET_EMITTED


def subfields(value):
    return {kv.split("=")[0]: kind(kv.split("=")[1]) for kv in value.split(",")}


def test_dynamic_sections_match_redis(r, reference_info):
    workload(r)
    ours = parse_info(info_text(r, "everything"))
    for section, field in (("commandstats", "cmdstat_set"), ("commandstats", "cmdstat_get"),
                           ("errorstats", "errorstat_ERR"),
                           ("latencystats", "latency_percentiles_usec_set"),
                           ("keyspace", "db0")):
        assert subfields(ours[section][field]) == subfields(reference_info[section][field]), field
    # The same calls, rejections and failures as Redis counts them.
    for name in ("cmdstat_set", "cmdstat_get", "cmdstat_incr"):
        a = dict(kv.split("=") for kv in ours["commandstats"][name].split(","))
        b = dict(kv.split("=") for kv in reference_info["commandstats"][name].split(","))
        for k in ("calls", "rejected_calls", "failed_calls"):
            assert a[k] == b[k], (name, k)
    assert ours["errorstats"] == reference_info["errorstats"]
    assert ours["keyspace"]["db0"].startswith("keys=2,expires=1,")


def test_section_selection(r):
    def titles(*args):
        return [l[2:].strip() for l in info_text(r, *args).splitlines() if l.startswith("# ")]

    default = ["Server", "Clients", "Memory", "Persistence", "Stats", "Replication", "CPU",
               "Modules", "Errorstats", "Cluster", "Keyspace"]
    assert titles() == default
    assert titles("default") == default
    everything = titles("everything")
    assert everything[:13] == ["Server", "Clients", "Memory", "Persistence", "Stats",
                               "Replication", "CPU", "Modules", "Commandstats", "Errorstats",
                               "Latencystats", "Cluster", "Keyspace"]
    assert titles("all")[:13] == everything[:13]
    assert titles("CLIENTS", "cpu") == ["Clients", "CPU"]
    assert titles("clients", "clients") == ["Clients"]
    assert titles("commandstats") == ["Commandstats"]
    assert titles("default", "commandstats") == default[:8] + ["Commandstats"] + default[8:]
    assert info_text(r, "nosuchsection") == ""


@pytest.mark.parametrize("protocol", [2, 3])
def test_reply_type(flushed_server, protocol):
    c = flushed_server.resp(protocol)
    reply = c.cmd("INFO", "server")
    if protocol == 3:
        assert reply.format == "txt"
    assert bytes(reply).startswith(b"# Server\r\nredis_version:7.0.15\r\n")


@pytest.mark.strata_only
def test_strata_sections(r):
    sections = parse_info(info_text(r, "everything"))
    rocksdb = sections["rocksdb"]
    for field in ("rocksdb_sst_bytes", "rocksdb_memtable_bytes", "rocksdb_estimated_keys"):
        assert kind(rocksdb[field]) == "int"
    assert "rocksdb" not in parse_info(info_text(r))
    assert kind(sections["server"]["strata_version"]) == "str"


def test_instantaneous_rates(r):
    deadline = time.monotonic() + 0.8
    while time.monotonic() < deadline:
        p = r.pipeline(transaction=False)
        for _ in range(50):
            p.ping()
        p.execute()
    stats = parse_info(info_text(r, "stats"))["stats"]
    assert int(stats["instantaneous_ops_per_sec"]) > 0
    assert float(stats["instantaneous_input_kbps"]) > 0
    assert float(stats["instantaneous_output_kbps"]) > 0
