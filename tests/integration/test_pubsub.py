"""Pub/sub: SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE (glob patterns), PUNSUBSCRIBE,
SSUBSCRIBE, SUNSUBSCRIBE, PUBLISH, SPUBLISH, PUBSUB CHANNELS / NUMSUB /
NUMPAT / SHARDCHANNELS / SHARDNUMSUB; the RESP2 subscribed state (allowed
commands, PING's reply, RESET), RESP3 push frames, message order across
several connections, cleanup on disconnect, CLIENT LIST and INFO fields,
and client-output-buffer-limit disconnecting a subscriber that never reads."""

import threading
import time

import pytest
import redis

from resp3 import Push, RespError


@pytest.fixture
def srv(flushed_server):
    return flushed_server


def wait_for(pred, timeout=5.0):
    end = time.time() + timeout
    while time.time() < end:
        if pred():
            return True
        time.sleep(0.01)
    return pred()


def test_subscribe_publish_and_receivers(srv):
    s, r = srv.resp(), srv.client()
    assert s.cmd("SUBSCRIBE", "ch1", "ch2") == [b"subscribe", b"ch1", 1]
    assert s.read_reply() == [b"subscribe", b"ch2", 2]
    assert s.cmd("SUBSCRIBE", "ch1") == [b"subscribe", b"ch1", 2]  # again: no change
    assert r.publish("ch1", "hello") == 1
    assert r.publish("nobody", "x") == 0
    assert s.read_reply() == [b"message", b"ch1", b"hello"]
    assert r.publish("ch2", b"\x00bin\r\n") == 1
    assert s.read_reply() == [b"message", b"ch2", b"\x00bin\r\n"]
    assert s.cmd("UNSUBSCRIBE", "ch1") == [b"unsubscribe", b"ch1", 1]
    assert r.publish("ch1", "gone") == 0
    assert s.cmd("UNSUBSCRIBE", "never") == [b"unsubscribe", b"never", 1]
    assert s.cmd("UNSUBSCRIBE") == [b"unsubscribe", b"ch2", 0]
    assert s.cmd("UNSUBSCRIBE") == [b"unsubscribe", None, 0]
    assert s.cmd("PUNSUBSCRIBE") == [b"punsubscribe", None, 0]
    assert s.cmd("SUNSUBSCRIBE") == [b"sunsubscribe", None, 0]
    # Out of the subscribed state: any command runs again.
    assert s.cmd("SET", "k", "v") == b"OK"


def test_pattern_subscriptions_and_glob_rules(srv):
    s, r = srv.resp(), srv.client()
    patterns = ["news.*", "h?llo", "h[ae]y", "x[^a]z", "lit\\*", "*"]
    for i, p in enumerate(patterns):
        assert s.cmd("PSUBSCRIBE", p) == [b"psubscribe", p.encode(), i + 1]
    cases = {"news.sport": {"news.*", "*"}, "hello": {"h?llo", "*"}, "hey": {"h[ae]y", "*"},
             "hoy": {"*"}, "xbz": {"x[^a]z", "*"}, "xaz": {"*"}, "lit*": {"lit\\*", "*"},
             "litx": {"*"}}
    for channel, matching in cases.items():
        assert r.publish(channel, "m") == len(matching)
        got = {s.read_reply()[1].decode() for _ in matching}
        assert got == matching
    # A client matched by a channel and a pattern receives the message twice.
    s.cmd("SUBSCRIBE", "hello")
    s.send("PING")
    assert r.publish("hello", "twice") == 3
    msgs = [s.read_reply() for _ in range(4)]
    assert [b"message", b"hello", b"twice"] in msgs
    assert [b"pmessage", b"h?llo", b"hello", b"twice"] in msgs
    assert [b"pmessage", b"*", b"hello", b"twice"] in msgs
    assert s.cmd("PUNSUBSCRIBE", "*", "nope") == [b"punsubscribe", b"*", 6]
    assert s.read_reply() == [b"punsubscribe", b"nope", 6]


def test_resp2_subscribed_state_restrictions(srv):
    s = srv.resp()
    s.cmd("SUBSCRIBE", "c")
    assert s.cmd("GET", "x") == RespError(
        b"ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / "
        b"RESET are allowed in this context")
    assert s.cmd("CLIENT", "LIST") == RespError(
        b"ERR Can't execute 'client|list': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / "
        b"QUIT / RESET are allowed in this context")
    assert s.cmd("PING") == [b"pong", b""]
    assert s.cmd("PING", "hi") == [b"pong", b"hi"]
    assert s.cmd("PSUBSCRIBE", "p*") == [b"psubscribe", b"p*", 2]
    assert s.cmd("RESET") == b"RESET"
    assert s.cmd("PING") == b"PONG"
    assert srv.client().publish("c", "x") == 0


def test_resp3_push_frames_and_commands_while_subscribed(srv):
    s, r = srv.resp(3), srv.client()
    assert s.cmd_raw("SUBSCRIBE", "c3") == b">3\r\n$9\r\nsubscribe\r\n$2\r\nc3\r\n:1\r\n"
    reply = s.cmd("PSUBSCRIBE", "c*")
    assert isinstance(reply, Push) and reply == [b"psubscribe", b"c*", 2]
    assert s.cmd("SET", "k", "v") == b"OK"  # RESP3 has no subscribed-state restriction
    assert s.cmd("PING") == b"PONG"
    assert r.publish("c3", "m") == 2
    raw = s.read_raw_reply() + s.read_raw_reply()
    assert b">3\r\n$7\r\nmessage\r\n$2\r\nc3\r\n$1\r\nm\r\n" in raw
    assert b">4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$2\r\nc3\r\n$1\r\nm\r\n" in raw
    assert s.cmd_raw("UNSUBSCRIBE", "none") == b">3\r\n$11\r\nunsubscribe\r\n$4\r\nnone\r\n:2\r\n"
    s.cmd("UNSUBSCRIBE")
    s.cmd("PUNSUBSCRIBE")
    assert s.cmd_raw("UNSUBSCRIBE") == b">3\r\n$11\r\nunsubscribe\r\n_\r\n:0\r\n"


def test_shard_channels(srv):
    s, r = srv.resp(), srv.client()
    assert s.cmd("SSUBSCRIBE", "sh") == [b"ssubscribe", b"sh", 1]
    assert s.cmd("SUBSCRIBE", "plain") == [b"subscribe", b"plain", 1]
    assert r.execute_command("SPUBLISH", "sh", "m") == 1
    assert s.read_reply() == [b"smessage", b"sh", b"m"]
    assert r.publish("sh", "m") == 0
    assert r.execute_command("PUBSUB", "SHARDCHANNELS") == [b"sh"]
    assert r.execute_command("PUBSUB", "SHARDCHANNELS", "x*") == []
    assert r.execute_command("PUBSUB", "SHARDNUMSUB", "sh", "no") == [b"sh", 1, b"no", 0]
    assert s.cmd("SUNSUBSCRIBE", "sh") == [b"sunsubscribe", b"sh", 0]


def test_pubsub_introspection(srv):
    a, b, r = srv.resp(), srv.resp(), srv.client()
    a.cmd("CLIENT", "SETNAME", "sub-a")
    b.cmd("CLIENT", "SETNAME", "sub-b")
    a.cmd("SUBSCRIBE", "news", "sport")
    a.read_reply()
    b.cmd("SUBSCRIBE", "news")
    a.cmd("PSUBSCRIBE", "n*")
    b.cmd("PSUBSCRIBE", "n*")
    b.cmd("PSUBSCRIBE", "s*")
    assert sorted(r.execute_command("PUBSUB", "CHANNELS")) == [b"news", b"sport"]
    assert r.execute_command("PUBSUB", "CHANNELS", "n*") == [b"news"]
    assert r.execute_command("PUBSUB", "NUMSUB", "news", "sport", "x") == [
        b"news", 2, b"sport", 1, b"x", 0]
    assert r.execute_command("PUBSUB", "NUMSUB") == []
    assert r.execute_command("PUBSUB", "NUMPAT") == 2
    for sub in ("CHANNELS", "SHARDCHANNELS"):
        with pytest.raises(redis.ResponseError, match=(
                f"unknown subcommand or wrong number of arguments for '{sub.lower()}'. "
                "Try PUBSUB HELP.")):
            r.execute_command("PUBSUB", sub.lower(), "a", "b")
    with pytest.raises(redis.ResponseError,
                       match="wrong number of arguments for 'pubsub|numpat' command"):
        r.execute_command("PUBSUB", "NUMPAT", "x")
    help_lines = r.execute_command("PUBSUB", "HELP")
    assert help_lines[0].startswith(b"PUBSUB <subcommand>") and help_lines[-1] == (
        b"    Prints this help.")
    info = r.info("stats")
    assert info["pubsub_channels"] == 2 and info["pubsub_patterns"] == 2
    lines = r.execute_command("CLIENT", "LIST").decode().splitlines()
    fields = {f["name"]: f for f in (dict(p.partition("=")[::2] for p in l.split(" "))
                                     for l in lines)}
    assert [fields["sub-a"][k] for k in ("sub", "psub", "ssub")] == ["2", "1", "0"]
    assert [fields["sub-b"][k] for k in ("sub", "psub", "ssub")] == ["1", "2", "0"]
    assert "P" in fields["sub-a"]["flags"] and "P" in fields["sub-b"]["flags"]
    # A disconnect unsubscribes.
    a.close()
    assert wait_for(lambda: r.execute_command("PUBSUB", "NUMSUB", "news")[1] == 1)
    assert r.execute_command("PUBSUB", "CHANNELS") == [b"news"]
    assert r.execute_command("PUBSUB", "NUMPAT") == 2


def test_messages_arrive_in_publish_order_on_every_connection(srv):
    subs = [srv.resp() for _ in range(4)]
    for s in subs:
        s.cmd("SUBSCRIBE", "order")
    n = 2000

    def publish(tag):
        r = srv.client()
        for i in range(n):
            r.publish("order", f"{tag}:{i}")

    ts = [threading.Thread(target=publish, args=(t,)) for t in ("a", "b")]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    sequences = []
    for s in subs:
        got = [s.read_reply()[2].decode() for _ in range(2 * n)]
        for tag in ("a", "b"):
            mine = [int(m.split(":")[1]) for m in got if m.startswith(tag)]
            assert mine == list(range(n))
        sequences.append(got)
    # One total order of publishes, the same for every subscriber.
    assert all(seq == sequences[0] for seq in sequences)


def test_publish_inside_multi(srv):
    s, c = srv.resp(), srv.resp()
    s.cmd("SUBSCRIBE", "tx")
    c.cmd("MULTI")
    c.cmd("PUBLISH", "tx", "1")
    c.cmd("SET", "k", "v")
    c.cmd("PUBLISH", "tx", "2")
    assert c.cmd("EXEC") == [1, b"OK", 1]
    assert s.read_reply() == [b"message", b"tx", b"1"]
    assert s.read_reply() == [b"message", b"tx", b"2"]


def test_output_buffer_limit_config(srv):
    r = srv.client()
    assert r.config_get("client-output-buffer-limit") == {
        "client-output-buffer-limit":
            "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"}
    r.config_set("client-output-buffer-limit", "pubsub 1mb 512kb 10 replica 1gb 0 0")
    assert r.config_get("client-output-buffer-limit")["client-output-buffer-limit"] == (
        "normal 0 0 0 slave 1073741824 0 0 pubsub 1048576 524288 10")
    for bad in ("pubsub 1mb 1mb", "nope 1 1 1", "pubsub x 1 1"):
        with pytest.raises(Exception):
            r.config_set("client-output-buffer-limit", bad)
    r.config_set("client-output-buffer-limit", "pubsub 32mb 8mb 60 slave 256mb 64mb 60")


def test_slow_subscriber_is_disconnected(srv):
    r = srv.client()
    r.config_set("client-output-buffer-limit", "pubsub 1mb 256kb 60")
    try:
        sock = srv.raw_socket()
        sock.sendall(b"*2\r\n$9\r\nSUBSCRIBE\r\n$4\r\nslow\r\n")
        assert wait_for(lambda: r.execute_command("PUBSUB", "NUMSUB", "slow")[1] == 1)
        payload = b"x" * (64 * 1024)
        receivers = []
        for _ in range(2000):  # up to 128 MB, far beyond socket buffers and the limit
            receivers.append(r.publish("slow", payload))
            if receivers[-1] == 0:
                break
        assert receivers[-1] == 0, "the subscriber that never reads was not disconnected"
        assert r.execute_command("PUBSUB", "NUMSUB", "slow") == [b"slow", 0]
        assert r.ping()
    finally:
        r.config_set("client-output-buffer-limit", "pubsub 32mb 8mb 60")


@pytest.mark.server_args("--timeout", "1")
def test_idle_timeout_spares_subscribers(server):
    s, idle = server.resp(), server.resp()
    s.cmd("SUBSCRIBE", "t")
    idle.cmd("PING")
    time.sleep(2.5)
    assert server.client().publish("t", "still here") == 1
    assert s.read_reply() == [b"message", b"t", b"still here"]
    with pytest.raises(Exception):
        idle.cmd("PING")
