"""Ranks on big sorted sets: ZRANK, ZREVRANK, ZRANGE by rank, ZREMRANGEBYRANK,
ZCOUNT, ZRANGEBYSCORE/ZREVRANGEBYSCORE with a LIMIT offset and ZRANDMEMBER on
a 20k-member zset (past the hot tier's whole-body limit, so Strata answers
through its order-statistics index, engine/zset_rank_index.h) while ZADD,
ZREM, ZINCRBY and ZPOPMIN change it; and inside MULTI, where ranks are read
after writes staged in the same transaction. Checked against a Python model
and, differentially, redis-server 7.0.15."""

import random

import pytest

N = 20000


def pipeline(c, commands):
    for args in commands:
        c.send(*args)
    return [c.read_reply() for _ in commands]


class Model:
    def __init__(self):
        self.scores = {}

    def ordered(self):
        return sorted(self.scores, key=lambda m: (self.scores[m], m))


@pytest.fixture
def big(c):
    rng = random.Random(20)
    model = Model()
    commands = []
    for start in range(0, N, 1000):
        args = ["ZADD", "z"]
        for i in range(start, start + 1000):
            m = b"m%06d" % i
            s = rng.randrange(5000)  # ties: member order decides
            model.scores[m] = s
            args += [str(s), m]
        commands.append(args)
    assert sum(pipeline(c, commands)) == N
    return c, model, rng


def check(c, model, rng, probes=30):
    order = model.ordered()
    n = len(order)
    assert c.cmd("ZCARD", "z") == n
    ranks = [rng.randrange(n) for _ in range(probes)]
    got = pipeline(c, [["ZRANK", "z", order[r]] for r in ranks]
                   + [["ZREVRANK", "z", order[r]] for r in ranks])
    assert got == ranks + [n - 1 - r for r in ranks]
    assert c.cmd("ZRANK", "z", "absent") is None
    for r in ranks[:10]:
        assert c.cmd("ZRANGE", "z", r, r + 3) == order[r:r + 4]
        assert c.cmd("ZRANGE", "z", r, r + 2, "REV") == order[::-1][r:r + 3]
        assert c.cmd("ZRANGE", "z", -r - 1, -r - 1) == [order[n - r - 1]]
    for _ in range(10):
        lo, hi = sorted(rng.randrange(-10, 5100) for _ in range(2))
        inside = [m for m in order if lo <= model.scores[m] <= hi]
        assert c.cmd("ZCOUNT", "z", lo, hi) == len(inside)
        assert c.cmd("ZCOUNT", "z", f"({lo}", f"({hi}") == \
            len([m for m in inside if lo < model.scores[m] < hi])
        off = rng.randrange(len(inside) + 5)
        assert c.cmd("ZRANGEBYSCORE", "z", lo, hi, "LIMIT", off, 5) == inside[off:off + 5]
        assert c.cmd("ZREVRANGEBYSCORE", "z", hi, lo, "LIMIT", off, 5) == \
            inside[::-1][off:off + 5]
    assert c.cmd("ZCOUNT", "z", "-inf", "+inf") == n
    assert c.cmd("ZRANDMEMBER", "z") in model.scores


def test_ranks_under_interleaved_writes(big):
    c, model, rng = big
    check(c, model, rng)
    for _ in range(6):
        commands = []
        for _ in range(300):
            op = rng.randrange(4)
            if op == 0:  # a new member, or a moved one
                m = b"m%06d" % rng.randrange(N + 3000)
                s = rng.randrange(5000)
                model.scores[m] = s
                commands.append(["ZADD", "z", s, m])
            elif op == 1:
                m = b"m%06d" % rng.randrange(N + 3000)
                model.scores.pop(m, None)
                commands.append(["ZREM", "z", m])
            elif op == 2 and model.scores:
                m = rng.choice(list(model.scores)) if rng.randrange(8) == 0 else \
                    b"m%06d" % rng.randrange(N)
                if m in model.scores:
                    model.scores[m] += 7
                    commands.append(["ZINCRBY", "z", 7, m])
            else:  # packed above everything: one place grows
                m = b"top%06d" % rng.randrange(10 ** 6)
                model.scores[m] = 6000 + rng.randrange(100)
                commands.append(["ZADD", "z", model.scores[m], m])
        pipeline(c, commands)
        check(c, model, rng)
    # Rank-range removal and pops move every later rank.
    order = model.ordered()
    assert c.cmd("ZREMRANGEBYRANK", "z", 5000, 5999) == 1000
    assert c.cmd("ZREMRANGEBYRANK", "z", -700, -600) == 101
    for m in order[5000:6000] + order[-700:-599]:
        del model.scores[m]
    popped = c.cmd("ZPOPMIN", "z", 50)
    for m in model.ordered()[:50]:
        del model.scores[m]
    assert len(popped) == 100
    check(c, model, rng)


def test_ranks_after_writes_in_the_same_transaction(big):
    c, model, rng = big
    order = model.ordered()
    assert c.cmd("ZRANK", "z", order[10000]) == 10000  # Strata: builds the index
    low = b"aaa"
    c.cmd("MULTI")
    c.cmd("ZADD", "z", -1, low)
    c.cmd("ZRANK", "z", order[10000])
    c.cmd("ZREM", "z", order[0])
    c.cmd("ZRANK", "z", order[10000])
    c.cmd("ZRANGE", "z", 0, 1)
    c.cmd("ZCOUNT", "z", "-inf", 0)
    assert c.cmd("EXEC") == [1, 10001, 1, 10000, [low, order[1]],
                             1 + len([m for m in order[1:] if model.scores[m] <= 0])]
    model.scores[low] = -1
    del model.scores[order[0]]
    check(c, model, rng)


def test_rank_of_a_member_moved_twice_in_one_command(big):
    # The same member given twice in one ZADD stages and unstages a score key.
    c, model, rng = big
    m = model.ordered()[123]
    assert c.cmd("ZADD", "z", 1, m, 4999, m, 2, b"new", 3, b"new") == 1
    model.scores[m] = 4999
    model.scores[b"new"] = 3
    check(c, model, rng)
    assert c.cmd("ZADD", "z", "CH", 5, m, model.scores[m], m) == 2
    check(c, model, rng)
