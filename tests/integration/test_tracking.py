"""Client-side caching: CLIENT TRACKING (default mode, BCAST with PREFIX,
OPTIN/OPTOUT with CLIENT CACHING, NOLOOP, REDIRECT to RESP3 and to RESP2
pub/sub clients, broken redirects), CLIENT GETREDIR, CLIENT TRACKINGINFO,
invalidation on writes, expiry and FLUSHALL/FLUSHDB, the option errors in
Redis's order, CLIENT LIST flags and INFO fields."""

import socket
import time

import pytest

from resp3 import Push, RespError


@pytest.fixture
def srv(flushed_server):
    return flushed_server


def pushes(conn, wait=0.3):
    """Every push (or RESP2 message) that arrives within `wait` seconds."""
    out = []
    conn.sock.settimeout(wait)
    try:
        while True:
            out.append(conn.read_reply())
    except (socket.timeout, TimeoutError):
        pass
    finally:
        conn.sock.settimeout(10)
    return out


def invalidated(msgs):
    """The key lists of RESP3 invalidate pushes, in order."""
    out = []
    for m in msgs:
        assert isinstance(m, Push) and m[0] == b"invalidate", m
        out.append(m[1])
    return out


def error_of(reply):
    assert isinstance(reply, RespError), reply
    return str(reply)


def test_default_mode_invalidates_keys_read_once(srv):
    a, b = srv.resp(3), srv.resp(3)
    assert a.cmd("CLIENT", "TRACKING", "on") == b"OK"
    assert a.cmd("GET", "k1") is None
    assert a.cmd("MGET", "k2", "k3") == [None, None]
    b.cmd("SET", "k1", "x")
    b.cmd("MSET", "k2", "x", "k3", "y")
    assert invalidated(pushes(a)) == [[b"k1"], [b"k2"], [b"k3"]]
    b.cmd("SET", "k1", "again")  # forgotten after one invalidation
    assert pushes(a) == []


def test_own_writes_invalidate_unless_noloop(srv):
    a = srv.resp(3)
    a.cmd("CLIENT", "TRACKING", "on")
    a.cmd("GET", "own")
    assert a.cmd("SET", "own", "1") == b"OK"
    assert invalidated(pushes(a)) == [[b"own"]]
    a.cmd("CLIENT", "TRACKING", "on", "NOLOOP")
    a.cmd("GET", "own")
    a.cmd("SET", "own", "2")
    assert pushes(a) == []


def test_writes_to_keys_not_read_are_silent_and_db_is_ignored(srv):
    a, b = srv.resp(3), srv.resp(3)
    a.cmd("CLIENT", "TRACKING", "on")
    a.cmd("GET", "shared")
    b.cmd("SET", "other", "1")
    b.cmd("SELECT", "5")
    b.cmd("SET", "shared", "1")  # the tracking table knows names, not databases
    assert invalidated(pushes(a)) == [[b"shared"]]


def test_flush_sends_null_to_every_tracking_client(srv):
    a, b = srv.resp(3), srv.resp(3)
    a.cmd("CLIENT", "TRACKING", "on")
    b.cmd("FLUSHALL")
    assert invalidated(pushes(a)) == [None]
    b.cmd("FLUSHDB")
    assert invalidated(pushes(a)) == [None]


def test_expiry_invalidates(srv):
    a, b = srv.resp(3), srv.resp(3)
    a.cmd("CLIENT", "TRACKING", "on")
    b.cmd("SET", "ex", "1", "PX", "100")
    assert a.cmd("GET", "ex") == b"1"
    deadline = time.time() + 5
    got = []
    while not got and time.time() < deadline:
        got = pushes(a, 0.2)
    assert invalidated(got) == [[b"ex"]]


def test_bcast_prefixes(srv):
    a, b = srv.resp(3), srv.resp(3)
    assert a.cmd("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "user:", "PREFIX", "obj:",
                 "NOLOOP") == b"OK"
    info = a.cmd("CLIENT", "TRACKINGINFO")
    assert set(info[b"flags"]) == {b"on", b"bcast", b"noloop"}
    assert info[b"redirect"] == 0
    assert info[b"prefixes"] == [b"obj:", b"user:"]
    b.cmd("SET", "user:1", "x")
    b.cmd("SET", "zzz", "1")
    b.cmd("SET", "obj:9", "1")
    assert invalidated(pushes(a)) == [[b"user:1"], [b"obj:9"]]
    assert a.cmd("SET", "user:3", "1") == b"OK"  # NOLOOP: not told of its own writes
    assert pushes(a) == []
    assert error_of(a.cmd("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "us")) == (
        "ERR Prefix 'us' overlaps with an existing prefix 'user:'. "
        "Prefixes for a single client must not overlap.")
    a.cmd("CLIENT", "TRACKING", "off")
    assert error_of(a.cmd("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "ab", "PREFIX", "a")) == (
        "ERR Prefix 'ab' overlaps with another provided prefix 'a'. "
        "Prefixes for a single client must not overlap.")


def test_bcast_without_prefix_tracks_everything(srv):
    a, b = srv.resp(3), srv.resp(3)
    a.cmd("CLIENT", "TRACKING", "on", "BCAST")
    assert a.cmd("CLIENT", "TRACKINGINFO")[b"prefixes"] == [b""]
    b.cmd("SET", "anything", "1")
    assert invalidated(pushes(a)) == [[b"anything"]]


def test_optin_tracks_only_after_caching_yes(srv):
    f, b = srv.resp(3), srv.resp(3)
    assert f.cmd("CLIENT", "TRACKING", "on", "OPTIN") == b"OK"
    f.cmd("GET", "o1")
    assert f.cmd("CLIENT", "CACHING", "yes") == b"OK"
    assert set(f.cmd("CLIENT", "TRACKINGINFO")[b"flags"]) == {b"on", b"optin", b"caching-yes"}
    f.cmd("GET", "o2")
    f.cmd("GET", "o3")  # CACHING YES lasted one command
    b.cmd("MSET", "o1", "1", "o2", "2", "o3", "3")
    assert invalidated(pushes(f)) == [[b"o2"]]


def test_optin_caching_covers_a_whole_transaction(srv):
    f, b = srv.resp(3), srv.resp(3)
    f.cmd("CLIENT", "TRACKING", "on", "OPTIN")
    f.cmd("CLIENT", "CACHING", "yes")
    f.cmd("MULTI")
    f.cmd("GET", "t1")
    f.cmd("GET", "t2")
    f.cmd("EXEC")
    f.cmd("GET", "t3")
    b.cmd("MSET", "t1", "1", "t2", "2", "t3", "3")
    assert invalidated(pushes(f)) == [[b"t1"], [b"t2"]]


def test_optout_skips_after_caching_no(srv):
    f, b = srv.resp(3), srv.resp(3)
    f.cmd("CLIENT", "TRACKING", "on", "OPTOUT")
    f.cmd("CLIENT", "CACHING", "no")
    assert set(f.cmd("CLIENT", "TRACKINGINFO")[b"flags"]) == {b"on", b"optout", b"caching-no"}
    f.cmd("GET", "n1")
    f.cmd("GET", "n2")
    b.cmd("MSET", "n1", "1", "n2", "2")
    assert invalidated(pushes(f)) == [[b"n2"]]


def test_redirect_to_resp2_subscriber_and_resp3_client(srv):
    sub = srv.resp(2)
    sub_id = sub.cmd("CLIENT", "ID")
    assert sub.cmd("SUBSCRIBE", "__redis__:invalidate") == [b"subscribe", b"__redis__:invalidate", 1]
    c = srv.resp(2)
    assert c.cmd("CLIENT", "TRACKING", "on", "REDIRECT", str(sub_id)) == b"OK"
    assert c.cmd("CLIENT", "GETREDIR") == sub_id
    c.cmd("GET", "q")
    b = srv.resp(2)
    b.cmd("SET", "q", "1")
    assert pushes(sub) == [[b"message", b"__redis__:invalidate", [b"q"]]]
    b.cmd("FLUSHDB")
    assert pushes(sub) == [[b"message", b"__redis__:invalidate", None]]
    assert pushes(c) == []  # RESP2 without push frames: nothing on its own connection

    r3 = srv.resp(3)
    c3 = srv.resp(3)
    c3.cmd("CLIENT", "TRACKING", "on", "REDIRECT", str(r3.cmd("CLIENT", "ID")))
    c3.cmd("GET", "w")
    b.cmd("SET", "w", "1")
    assert invalidated(pushes(r3)) == [[b"w"]]
    assert pushes(c3) == []


def test_broken_redirect(srv):
    b = srv.resp(3)
    target = srv.resp(3)
    tid = target.cmd("CLIENT", "ID")
    d = srv.resp(3)
    d.cmd("CLIENT", "TRACKING", "on", "REDIRECT", str(tid))
    d.cmd("GET", "w")
    target.close()
    time.sleep(0.2)
    b.cmd("SET", "w", "1")
    got = pushes(d)
    assert got == [Push([b"tracking-redir-broken", tid])]
    info = d.cmd("CLIENT", "TRACKINGINFO")
    assert set(info[b"flags"]) == {b"on", b"broken_redirect"}
    assert info[b"redirect"] == tid


def test_getredir_and_trackinginfo_when_off(srv):
    a = srv.resp(3)
    assert a.cmd("CLIENT", "GETREDIR") == -1
    info = a.cmd("CLIENT", "TRACKINGINFO")
    assert list(info[b"flags"]) == [b"off"]
    assert info[b"redirect"] == -1
    assert info[b"prefixes"] == []
    a.cmd("CLIENT", "TRACKING", "on")
    assert a.cmd("CLIENT", "GETREDIR") == 0
    a.cmd("CLIENT", "TRACKING", "off")
    assert a.cmd("CLIENT", "GETREDIR") == -1


def test_trackinginfo_resp2_is_a_flat_array(srv):
    a = srv.resp(2)
    a.cmd("CLIENT", "TRACKING", "on")
    assert a.cmd("CLIENT", "TRACKINGINFO") == [b"flags", [b"on"], b"redirect", 0, b"prefixes", []]


def test_option_errors_in_redis_order(srv):
    a = srv.resp(3)
    b = srv.resp(3)
    aid, bid = a.cmd("CLIENT", "ID"), b.cmd("CLIENT", "ID")
    assert error_of(a.cmd("CLIENT", "TRACKING", "on", "BCAST", "OPTIN")) == (
        "ERR OPTIN and OPTOUT are not compatible with BCAST")
    assert error_of(a.cmd("CLIENT", "TRACKING", "on", "OPTIN", "OPTOUT")) == (
        "ERR You can't specify both OPTIN mode and OPTOUT mode")
    assert error_of(a.cmd("CLIENT", "TRACKING", "on", "PREFIX", "a")) == (
        "ERR PREFIX option requires BCAST mode to be enabled")
    assert error_of(a.cmd("CLIENT", "TRACKING", "on", "REDIRECT", "abc")) == (
        "ERR value is not an integer or out of range")
    assert error_of(a.cmd("CLIENT", "TRACKING", "on", "REDIRECT", "0")) == (
        "ERR The client ID you want redirect to does not exist")
    assert error_of(a.cmd("CLIENT", "TRACKING", "on", "REDIRECT", "999999")) == (
        "ERR The client ID you want redirect to does not exist")
    assert error_of(a.cmd("CLIENT", "TRACKING", "on", "REDIRECT", str(bid), "REDIRECT",
                          str(bid))) == "ERR A client can only redirect to a single other client"
    assert error_of(a.cmd("CLIENT", "TRACKING", "on", "REDIRECT")) == "ERR syntax error"
    assert error_of(a.cmd("CLIENT", "TRACKING", "on", "BCAST", "PREFIX")) == "ERR syntax error"
    assert error_of(a.cmd("CLIENT", "TRACKING", "maybe")) == "ERR syntax error"
    assert error_of(a.cmd("CLIENT", "TRACKING", "on", "FOO")) == "ERR syntax error"
    assert error_of(a.cmd("CLIENT", "CACHING", "yes")).startswith(
        "ERR CLIENT CACHING can be called only when the client is in tracking mode")
    assert a.cmd("CLIENT", "TRACKING", "on", "REDIRECT", str(aid)) == b"OK"  # itself: allowed
    assert error_of(a.cmd("CLIENT", "TRACKING", "on", "BCAST")).startswith(
        "ERR You can't switch BCAST mode on/off")
    assert error_of(a.cmd("CLIENT", "CACHING", "yes")) == (
        "ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.")
    assert error_of(a.cmd("CLIENT", "CACHING", "no")) == (
        "ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.")
    a.cmd("CLIENT", "TRACKING", "on", "OPTIN")
    assert error_of(a.cmd("CLIENT", "TRACKING", "on", "OPTOUT")).startswith(
        "ERR You can't switch OPTIN/OPTOUT mode")
    assert error_of(a.cmd("CLIENT", "CACHING", "maybe")) == "ERR syntax error"
    assert a.cmd("CLIENT", "TRACKING", "off") == b"OK"
    assert a.cmd("CLIENT", "TRACKING", "off") == b"OK"


def test_client_list_flags_and_redir(srv):
    a, b = srv.resp(3), srv.client()
    aid = a.cmd("CLIENT", "ID")
    bid = b.client_id()

    def line():
        return [l for l in b.execute_command("CLIENT", "LIST").decode().splitlines()
                if l.startswith(f"id={aid} ")][0]
    assert " flags=N " in line() and " redir=-1 " in line()
    a.cmd("CLIENT", "TRACKING", "on", "REDIRECT", str(bid))
    assert " flags=t " in line() and f" redir={bid} " in line()
    a.cmd("CLIENT", "TRACKING", "off")
    a.cmd("CLIENT", "TRACKING", "on", "BCAST")
    assert " flags=tB " in line() and " redir=0 " in line()


def test_info_fields(srv):
    a, b = srv.resp(3), srv.client()
    a.cmd("CLIENT", "TRACKING", "on")
    a.cmd("MGET", "i1", "i2")
    clients = b.info("clients")
    assert clients["tracking_clients"] == 1
    stats = b.info("stats")
    assert stats["tracking_total_keys"] == 2
    assert stats["tracking_total_items"] == 2
    assert stats["tracking_total_prefixes"] == 0


def test_reset_and_disconnect_turn_tracking_off(srv):
    a, b = srv.resp(3), srv.client()
    a.cmd("CLIENT", "TRACKING", "on")
    assert a.cmd("RESET") == b"RESET"
    assert b.info("clients")["tracking_clients"] == 0
    c = srv.resp(3)
    c.cmd("CLIENT", "TRACKING", "on")
    assert b.info("clients")["tracking_clients"] == 1
    c.close()
    deadline = time.time() + 5
    while b.info("clients")["tracking_clients"] != 0 and time.time() < deadline:
        time.sleep(0.05)
    assert b.info("clients")["tracking_clients"] == 0


def test_tracking_table_max_keys_evicts_with_invalidation(srv):
    a, b = srv.resp(3), srv.client()
    b.config_set("tracking-table-max-keys", 2)
    try:
        a.cmd("CLIENT", "TRACKING", "on")
        a.cmd("MGET", "m1", "m2", "m3")
        assert b.info("stats")["tracking_total_keys"] <= 2
        got = invalidated(pushes(a))
        assert len(got) == 1 and got[0][0] in (b"m1", b"m2", b"m3")
    finally:
        b.config_set("tracking-table-max-keys", 1000000)
