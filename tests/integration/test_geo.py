"""Geospatial commands: GEOADD (NX/XX/CH), GEOPOS, GEODIST (units), GEOHASH,
GEOSEARCH and GEOSEARCHSTORE (FROMMEMBER/FROMLONLAT, BYRADIUS/BYBOX,
ASC/DESC, COUNT [ANY], WITH*, STOREDIST), GEORADIUS, GEORADIUSBYMEMBER and
their _RO forms: the Redis documentation's Sicily examples, exact replies
and errors (and which error wins when several apply), RESP3 reply bytes, the
zset underneath (ZRANGE WITHSCORES, OBJECT ENCODING of stored results), the
commands inside MULTI/EXEC, and a few hundred searches over thousands of
seeded random points compared with a reference redis-server started beside
the server under test. Expected values are those of redis-server 7.0.15."""

import random

import pytest

from replies import err, NOT_FLOAT, NOT_INT, SYNTAX, WRONGTYPE

UNIT = "ERR unsupported unit provided. please use M, KM, FT, MI"
NO_MEMBER = "ERR could not decode requested zset member"

PALERMO = [b"13.36138933897018433", b"38.11555639549629859"]
CATANIA = [b"15.08726745843887329", b"37.50266842333162032"]


def sicily(c):
    assert c.cmd("GEOADD", "Sicily", "13.361389", "38.115556", "Palermo",
                 "15.087269", "37.502669", "Catania") == 2


@pytest.mark.parametrize("args", [
    ["GEOADD", "k", "1", "2"], ["GEOPOS"], ["GEOHASH"], ["GEODIST", "k", "a"],
    ["GEORADIUS", "k", "1", "2", "3"], ["GEORADIUS_RO", "k", "1", "2", "3"],
    ["GEORADIUSBYMEMBER", "k", "m", "3"], ["GEORADIUSBYMEMBER_RO", "k", "m", "3"],
    ["GEOSEARCH", "k", "FROMMEMBER", "m", "BYRADIUS"],
    ["GEOSEARCHSTORE", "d", "k", "FROMMEMBER", "m", "BYRADIUS"],
])
def test_arity(c, args):
    assert err(c.cmd(*args)) == \
        f"ERR wrong number of arguments for '{args[0].lower()}' command"


def test_sicily_documentation_examples(c):
    sicily(c)
    assert c.cmd("ZRANGE", "Sicily", "0", "-1", "WITHSCORES") == \
        [b"Palermo", b"3479099956230698", b"Catania", b"3479447370796909"]
    assert c.cmd("GEODIST", "Sicily", "Palermo", "Catania") == b"166274.1516"
    assert c.cmd("GEODIST", "Sicily", "Palermo", "Catania", "km") == b"166.2742"
    assert c.cmd("GEODIST", "Sicily", "Palermo", "Catania", "MI") == b"103.3182"
    assert c.cmd("GEODIST", "Sicily", "Palermo", "Catania", "ft") == b"545518.8700"
    assert c.cmd("GEODIST", "Sicily", "Palermo", "Palermo") == b"0.0000"
    assert c.cmd("GEORADIUS", "Sicily", "15", "37", "100", "km") == [b"Catania"]
    assert c.cmd("GEORADIUS", "Sicily", "15", "37", "200", "km", "WITHDIST") == \
        [[b"Palermo", b"190.4424"], [b"Catania", b"56.4413"]]
    assert c.cmd("GEORADIUS", "Sicily", "15", "37", "200", "km", "WITHCOORD", "ASC") == \
        [[b"Catania", CATANIA], [b"Palermo", PALERMO]]
    assert c.cmd("GEOPOS", "Sicily", "Palermo", "NonExisting", "Catania") == \
        [PALERMO, None, CATANIA]
    assert c.cmd("GEOHASH", "Sicily", "Palermo", "Catania", "nope") == \
        [b"sqc8b49rny0", b"sqdtr74hyu0", None]
    assert c.cmd("GEOADD", "Sicily", "13.583333", "37.316667", "Agrigento") == 1
    assert c.cmd("GEORADIUSBYMEMBER", "Sicily", "Agrigento", "100", "km") == \
        [b"Agrigento", b"Palermo"]
    assert c.cmd("GEOADD", "Sicily", "12.758489", "38.788135", "edge1",
                 "17.241510", "38.788135", "edge2") == 2
    assert c.cmd("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km",
                 "ASC") == [b"Catania", b"Agrigento", b"Palermo"]
    assert c.cmd("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "400", "400", "km",
                 "ASC", "WITHCOORD", "WITHDIST", "WITHHASH") == [
        [b"Catania", b"56.4413", 3479447370796909, CATANIA],
        [b"Agrigento", b"130.4235", 3479030013248308,
         [b"13.5833314061164856", b"37.31666804993816555"]],
        [b"Palermo", b"190.4424", 3479099956230698, PALERMO],
        [b"edge2", b"279.7403", 3481342659049484,
         [b"17.24151045083999634", b"38.78813451624225195"]],
        [b"edge1", b"279.7405", 3479273021651468,
         [b"12.7584877610206604", b"38.78813451624225195"]],
    ]
    # Without a sort the order is the scan's: boxes, then scores.
    assert c.cmd("GEORADIUS", "Sicily", "15", "37", "200", "km") == \
        [b"Agrigento", b"Palermo", b"Catania"]
    assert c.cmd("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km",
                 "DESC", "COUNT", "2") == [b"Palermo", b"Agrigento"]
    # COUNT implies ASC; ANY stops at the first matches found, then sorts if asked.
    assert c.cmd("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km",
                 "COUNT", "1") == [b"Catania"]
    assert c.cmd("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km",
                 "COUNT", "1", "ANY") == [b"Agrigento"]
    assert c.cmd("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km",
                 "COUNT", "2", "ANY", "DESC") == [b"Palermo", b"Agrigento"]


def test_geoadd_options(c):
    sicily(c)
    assert c.cmd("GEOADD", "Sicily", "NX", "1", "1", "Palermo", "2", "2", "new") == 1
    assert c.cmd("GEOPOS", "Sicily", "Palermo") == [PALERMO]
    assert c.cmd("GEOADD", "Sicily", "XX", "1", "1", "Palermo", "3", "3", "other") == 0
    assert c.cmd("ZSCORE", "Sicily", "other") is None
    assert c.cmd("GEOPOS", "Sicily", "Palermo") == \
        [[b"0.99999994039535522", b"0.99999945914297683"]]
    assert c.cmd("GEOADD", "Sicily", "CH", "XX", "1", "1", "Palermo", "2", "3", "new") == 1
    assert c.cmd("GEOADD", "Sicily", "ch", "nx", "4", "4", "Catania", "5", "5", "x") == 1
    assert c.cmd("ZCARD", "Sicily") == 4
    assert c.cmd("GEOADD", "fresh", "XX", "1", "1", "a") == 0
    assert c.cmd("EXISTS", "fresh") == 0


@pytest.mark.parametrize("args,error", [
    (["XX", "NX", "1", "2", "a"], SYNTAX),
    (["GT", "1", "2", "a"], SYNTAX),          # not an option: 4 arguments left
    (["GT", "1", "2"], NOT_FLOAT),            # "GT" read as a longitude
    (["1", "2", "a", "3"], SYNTAX),
    (["NX", "XX", "CH"], SYNTAX),
    (["abc", "2", "a"], NOT_FLOAT),
    (["1", "nan", "a"], NOT_FLOAT),
    (["200", "100", "a"], "ERR invalid longitude,latitude pair 200.000000,100.000000"),
    (["1", "2", "a", "-180.5", "85.06", "b"],
     "ERR invalid longitude,latitude pair -180.500000,85.060000"),
    (["180", "85.05112879", "a"], "ERR invalid longitude,latitude pair 180.000000,85.051129"),
    (["1e300", "-inf", "a"], "ERR invalid longitude,latitude pair " + f"{1e300:f}" + ",-inf"),
])
def test_geoadd_errors_change_nothing(c, args, error):
    assert err(c.cmd("GEOADD", "k", *args)) == error
    assert c.cmd("EXISTS", "k") == 0


def test_geoadd_limits_and_zset_view(c):
    assert c.cmd("GEOADD", "k", "180", "85.05112878", "ne", "-180", "-85.05112878", "sw",
                 "0", "0", "origin") == 3
    assert c.cmd("ZRANGE", "k", "0", "-1", "WITHSCORES") == \
        [b"sw", b"0", b"origin", b"3377699720527872", b"ne", b"13510798882111488"]
    # The maxima overflow their 26 bits (as in Redis); decoding clamps.
    assert c.cmd("GEOPOS", "k", "ne", "sw", "origin") == [
        [b"180", b"85.0511287799999991"],
        [b"-179.99999731779098511", b"-85.05112751263942528"],
        [b"0.00000268220901489", b"0.00000126736058093"]]
    assert c.cmd("GEOHASH", "k", "ne", "sw", "origin") == \
        [b"bp05b5048p0", b"00bh0hbj200", b"s0000000000"]
    assert c.cmd("TYPE", "k") == b"zset"
    assert c.cmd("OBJECT", "ENCODING", "k") == b"listpack"
    # A plain ZADD score decodes too.
    c.cmd("ZADD", "k", "1000000", "z")
    assert c.cmd("GEOPOS", "k", "z") == [[b"-179.99579161405563354", b"-85.04883612471138576"]]


def test_geodist_errors_and_nulls(c):
    sicily(c)
    assert err(c.cmd("GEODIST", "Sicily", "Palermo", "Catania", "yards")) == UNIT
    assert err(c.cmd("GEODIST", "nokey", "a", "b", "yards")) == UNIT
    assert err(c.cmd("GEODIST", "Sicily", "Palermo", "Catania", "km", "x")) == SYNTAX
    assert c.cmd("GEODIST", "Sicily", "Palermo", "nope") is None
    assert c.cmd("GEODIST", "nokey", "a", "b") is None
    assert c.cmd("GEOPOS", "nokey", "a") == [None]
    assert c.cmd("GEOPOS", "Sicily") == []
    assert c.cmd("GEOHASH", "nokey", "a", "b") == [None, None]


def test_wrong_type(c):
    c.cmd("SET", "s", "v")
    for args in [["GEOADD", "s", "1", "2", "a"], ["GEOPOS", "s", "a"], ["GEOHASH", "s", "a"],
                 ["GEODIST", "s", "a", "b"], ["GEODIST", "s", "a", "b", "km"],
                 ["GEORADIUS", "s", "1", "2", "3", "km"],
                 # the type is checked before any argument
                 ["GEORADIUS", "s", "200", "2", "3", "km"],
                 ["GEORADIUS_RO", "s", "1", "2", "-3", "km"],
                 ["GEORADIUSBYMEMBER", "s", "a", "3", "km"],
                 ["GEORADIUSBYMEMBER_RO", "s", "a", "3", "furlong"],
                 ["GEOSEARCH", "s", "FROMMEMBER", "a", "BYRADIUS", "x", "km"],
                 ["GEOSEARCH", "s", "FROMLONLAT", "1", "2", "BYBOX", "1", "1", "km"],
                 ["GEOSEARCH", "s", "BOGUS", "x", "y", "z", "w"],
                 ["GEOSEARCHSTORE", "d", "s", "FROMLONLAT", "1", "2", "BYRADIUS", "1", "km"]]:
        assert err(c.cmd(*args)) == WRONGTYPE, args
    # The destination of a STORE is overwritten whatever it holds.
    c.cmd("GEOADD", "g", "1", "2", "a")
    assert c.cmd("GEOSEARCHSTORE", "s", "g", "FROMMEMBER", "a", "BYRADIUS", "1", "km") == 1
    assert c.cmd("TYPE", "s") == b"zset"


SEARCH_ERRORS = [
    (["FROMMEMBER", "nope", "BYRADIUS", "200", "km"], NO_MEMBER),
    (["FROMMEMBER", "nope", "BYRADIUS", "x", "km"], NO_MEMBER),      # the member comes first
    (["BYRADIUS", "x", "km", "FROMMEMBER", "nope"], "ERR need numeric radius"),
    (["FROMMEMBER", "Palermo", "FROMMEMBER", "nope", "BYRADIUS", "1", "km"], NO_MEMBER),
    (["FROMMEMBER", "Palermo", "BYRADIUS", "-1", "km"], "ERR radius cannot be negative"),
    (["FROMMEMBER", "Palermo", "BYRADIUS", "1", "kmm"], UNIT),
    (["FROMMEMBER", "Palermo", "BYBOX", "-1", "2", "km"], "ERR height or width cannot be negative"),
    (["FROMMEMBER", "Palermo", "BYBOX", "x", "2", "km"], "ERR need numeric width"),
    (["FROMMEMBER", "Palermo", "BYBOX", "1", "y", "km"], "ERR need numeric height"),
    (["FROMMEMBER", "Palermo", "BYBOX", "1", "2", "yd"], UNIT),
    (["FROMLONLAT", "200", "1", "BYRADIUS", "1", "km"],
     "ERR invalid longitude,latitude pair 200.000000,1.000000"),
    (["FROMLONLAT", "a", "1", "BYRADIUS", "1", "km"], NOT_FLOAT),
    (["FROMMEMBER", "Palermo", "BYRADIUS", "1", "km", "ANY"],
     "ERR the ANY argument requires COUNT argument"),
    (["FROMMEMBER", "Palermo", "BYRADIUS", "1", "km", "COUNT", "0"], "ERR COUNT must be > 0"),
    (["FROMMEMBER", "Palermo", "BYRADIUS", "1", "km", "COUNT", "-3"], "ERR COUNT must be > 0"),
    (["FROMMEMBER", "Palermo", "BYRADIUS", "1", "km", "COUNT", "x"], NOT_INT),
    (["FROMMEMBER", "Palermo", "BYRADIUS", "1", "km", "COUNT"], SYNTAX),
    (["FROMMEMBER", "Palermo", "FROMLONLAT", "1", "2", "BYRADIUS", "1", "km"], SYNTAX),
    (["FROMLONLAT", "1", "2", "FROMMEMBER", "Palermo", "BYRADIUS", "1", "km"], SYNTAX),
    (["FROMMEMBER", "Palermo", "BYRADIUS", "1", "km", "BYBOX", "1", "1", "km"], SYNTAX),
    (["FROMMEMBER", "Palermo", "BYRADIUS", "1", "km", "STORE", "x"], SYNTAX),
    (["FROMMEMBER", "Palermo", "BYRADIUS", "1", "km", "STOREDIST"], SYNTAX),
    (["FROMMEMBER", "Palermo", "ASC", "BYRADIUS", "1"], SYNTAX),
    (["FROMMEMBER", "Palermo", "BYRADIUS", "1", "km", "BOGUS"], SYNTAX),
    (["BYRADIUS", "1", "km", "ASC", "WITHDIST"],
     "ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for GeoSearch"),
    (["FROMMEMBER", "Palermo", "ASC", "WITHDIST", "WITHHASH"],
     "ERR exactly one of BYRADIUS and BYBOX can be specified for GeoSearch"),
]


@pytest.mark.parametrize("args,error", SEARCH_ERRORS)
def test_geosearch_errors(c, args, error):
    sicily(c)
    assert err(c.cmd("GeoSearch", "Sicily", *args)) == error


def test_search_errors_of_the_other_forms(c):
    sicily(c)
    store_with = ("ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH "
                  "and WITHCOORD options")
    for args, error in [
        (["GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "d", "WITHDIST"], store_with),
        (["GEORADIUS", "Sicily", "15", "37", "200", "km", "WITHHASH", "STOREDIST", "d"],
         store_with),
        (["GEORADIUS_RO", "Sicily", "15", "37", "200", "km", "STORE", "d"], SYNTAX),
        (["GEORADIUSBYMEMBER_RO", "Sicily", "Palermo", "200", "km", "STOREDIST", "d"], SYNTAX),
        (["GEORADIUS", "Sicily", "15", "37", "200", "km", "FROMMEMBER", "Palermo"], SYNTAX),
        (["GEORADIUS", "Sicily", "15", "95", "200", "km"],
         "ERR invalid longitude,latitude pair 15.000000,95.000000"),
        (["GEORADIUS", "Sicily", "15", "37", "-2", "km"], "ERR radius cannot be negative"),
        (["GEORADIUS", "Sicily", "15", "37", "r", "km"], "ERR need numeric radius"),
        (["GEORADIUS", "Sicily", "15", "37", "2", "au"], UNIT),
        (["GEORADIUSBYMEMBER", "Sicily", "nope", "-5", "km"], NO_MEMBER),
        (["GEORADIUSBYMEMBER", "Sicily", "Palermo", "-5", "km"], "ERR radius cannot be negative"),
        (["GEORADIUSBYMEMBER", "Sicily", "Palermo", "5", "km", "ANY"],
         "ERR the ANY argument requires COUNT argument"),
        (["GEOSEARCHSTORE", "d", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "1", "km",
          "WITHDIST"],
         "ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options"),
        (["GEOSEARCHSTORE", "d", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "1", "km",
          "STORE", "x"], SYNTAX),
        (["GEOSEARCHSTORE", "d", "Sicily", "FROMMEMBER", "nope", "BYRADIUS", "1", "km"],
         NO_MEMBER),
    ]:
        assert err(c.cmd(*args)) == error, args
    assert c.cmd("EXISTS", "d") == 0


def test_missing_source_key(c):
    c.cmd("SET", "d", "old")
    # Without a key the centre member is not looked up (nor, for
    # GEORADIUSBYMEMBER, the radius read); a STORE deletes its destination.
    assert c.cmd("GEOSEARCH", "nokey", "FROMMEMBER", "m", "BYRADIUS", "1", "km") == []
    assert c.cmd("GEORADIUSBYMEMBER", "nokey", "m", "-5", "furlong") == []
    assert c.cmd("GEORADIUS", "nokey", "1", "2", "3", "km") == []
    assert c.cmd("GEORADIUSBYMEMBER", "nokey", "m", "-5", "km", "STORE", "d") == 0
    assert c.cmd("EXISTS", "d") == 0
    c.cmd("SET", "d", "old")
    assert c.cmd("GEOSEARCHSTORE", "d", "nokey", "FROMLONLAT", "1", "2", "BYBOX", "1", "1",
                 "m") == 0
    assert c.cmd("EXISTS", "d") == 0
    # The checks after the options still apply.
    assert err(c.cmd("GEOSEARCH", "nokey", "FROMMEMBER", "m", "BYRADIUS", "1", "km", "ANY")) \
        == "ERR the ANY argument requires COUNT argument"
    assert err(c.cmd("GEORADIUSBYMEMBER", "nokey", "m", "1", "km", "STORE", "d", "WITHDIST")) \
        == ("ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and "
            "WITHCOORD options")


def test_store_forms(c):
    sicily(c)
    c.cmd("GEOADD", "Sicily", "13.583333", "37.316667", "Agrigento")
    assert c.cmd("GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "d") == 3
    assert c.cmd("ZRANGE", "d", "0", "-1", "WITHSCORES") == c.cmd(
        "ZRANGE", "Sicily", "0", "-1", "WITHSCORES")
    assert c.cmd("OBJECT", "ENCODING", "d") == b"listpack"
    assert c.cmd("GEORADIUS", "Sicily", "15", "37", "200", "mi", "STOREDIST", "d", "DESC",
                 "COUNT", "1") == 1
    assert c.cmd("ZRANGE", "d", "0", "-1", "WITHSCORES") == [b"Palermo", b"118.33573380874013"]
    assert c.cmd("GEORADIUSBYMEMBER", "Sicily", "Palermo", "150", "km", "STOREDIST", "d") == 2
    assert c.cmd("ZRANGE", "d", "0", "-1", "WITHSCORES") == \
        [b"Palermo", b"0", b"Agrigento", b"90.977753537996037"]
    assert c.cmd("GEOSEARCHSTORE", "d", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "1000",
                 "km", "STOREDIST") == 3
    assert c.cmd("ZRANGE", "d", "0", "-1", "WITHSCORES") == \
        [b"Palermo", b"0", b"Agrigento", b"90.977753537996037",
         b"Catania", b"166.27415156960032"]
    assert c.cmd("GEOSEARCHSTORE", "d", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "300",
                 "300", "km", "COUNT", "2") == 2
    assert c.cmd("ZRANGE", "d", "0", "-1") == [b"Agrigento", b"Catania"]
    # A search storing into its own source replaces it.
    assert c.cmd("GEOSEARCHSTORE", "Sicily", "Sicily", "FROMMEMBER", "Catania", "BYRADIUS",
                 "100", "km") == 1
    assert c.cmd("ZRANGE", "Sicily", "0", "-1") == [b"Catania"]
    # No match: the destination is deleted.
    assert c.cmd("GEORADIUS", "Sicily", "0", "0", "1", "m", "STORE", "d") == 0
    assert c.cmd("EXISTS", "d") == 0


def test_store_encoding_follows_the_result(c):
    args = []
    for i in range(200):
        args += [f"{10 + i * 0.001:.6f}", "45", f"p{i}"]
    assert c.cmd("GEOADD", "big", *args) == 200
    assert c.cmd("OBJECT", "ENCODING", "big") == b"skiplist"
    assert c.cmd("GEOSEARCHSTORE", "d", "big", "FROMLONLAT", "10", "45", "BYRADIUS", "5",
                 "km") == 64
    assert c.cmd("OBJECT", "ENCODING", "d") == b"listpack"
    assert c.cmd("GEOSEARCHSTORE", "d", "big", "FROMLONLAT", "10", "45", "BYRADIUS", "50",
                 "km") == 200
    assert c.cmd("OBJECT", "ENCODING", "d") == b"skiplist"
    assert c.cmd("ZRANGE", "d", "0", "-1", "WITHSCORES") == \
        c.cmd("ZRANGE", "big", "0", "-1", "WITHSCORES")


def test_resp3_reply_bytes(c3):
    sicily(c3)
    assert c3.cmd_raw("GEOPOS", "Sicily", "Palermo", "nope") == (
        b"*2\r\n*2\r\n,13.36138933897018433\r\n,38.11555639549629859\r\n_\r\n")
    assert c3.cmd_raw("GEODIST", "Sicily", "Palermo", "Catania") == b"$11\r\n166274.1516\r\n"
    assert c3.cmd_raw("GEODIST", "Sicily", "Palermo", "nope") == b"_\r\n"
    assert c3.cmd_raw("GEOHASH", "Sicily", "Catania", "nope") == \
        b"*2\r\n$11\r\nsqdtr74hyu0\r\n_\r\n"
    assert c3.cmd_raw("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "100", "km",
                      "WITHDIST", "WITHHASH", "WITHCOORD") == (
        b"*1\r\n*4\r\n$7\r\nCatania\r\n$7\r\n56.4413\r\n:3479447370796909\r\n"
        b"*2\r\n,15.08726745843887329\r\n,37.50266842333162032\r\n")
    assert c3.cmd_raw("GEOSEARCH", "Sicily", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km") == \
        b"*0\r\n"


def test_resp2_reply_bytes(c):
    sicily(c)
    assert c.cmd_raw("GEOPOS", "Sicily", "nope", "Catania") == (
        b"*2\r\n*-1\r\n*2\r\n$20\r\n15.08726745843887329\r\n$20\r\n37.50266842333162032\r\n")
    assert c.cmd_raw("GEODIST", "Sicily", "Palermo", "nope") == b"$-1\r\n"
    assert c.cmd_raw("GEOHASH", "Sicily", "nope") == b"*1\r\n$-1\r\n"


# --------------------------------------------------------------------------
# Seeded random points, searched on the server under test and on a reference
# redis-server with the same commands.
# --------------------------------------------------------------------------

@pytest.fixture
def reference(redis_beside):
    """A connection to a redis-server (--redis-bin) beside the server under test."""
    conn = redis_beside.resp()
    yield conn
    conn.close()


def random_points(rng, n):
    """Points everywhere, dense clusters (Sicily, near a pole, across the
    antimeridian, on the equator) and a few at the limits."""
    centres = [(13.5, 37.8), (0.0, 0.0), (179.9, 10.0), (-179.9, -10.0), (20.0, 84.0),
               (-60.0, -83.0), (100.0, 66.5)]
    out = []
    for i in range(n):
        if i % 3 == 0:
            lon, lat = rng.uniform(-180, 180), rng.uniform(-85.05, 85.05)
        else:
            clon, clat = centres[i % len(centres)]
            lon = max(-180.0, min(180.0, clon + rng.gauss(0, 1.5)))
            lat = max(-85.05, min(85.05, clat + rng.gauss(0, 1.0)))
        out.append((f"{lon:.7f}", f"{lat:.7f}", f"pt:{i}"))
    out += [("180", "85.05112878", "lim:ne"), ("-180", "-85.05112878", "lim:sw"),
            ("-180", "85.05112878", "lim:nw"), ("180", "-85.05112878", "lim:se")]
    return out


def random_query(rng, points):
    units = ["m", "km", "mi", "ft"]
    scale = {"m": 1, "km": 1000, "mi": 1609.34, "ft": 0.3048}
    kind = rng.choice(["search", "radius", "bymember", "store"])
    unit = rng.choice(units)
    meters = 10 ** rng.uniform(2, 6.7)
    size = f"{meters / scale[unit]:.3f}"
    if rng.random() < 0.5:
        lon, lat, _ = rng.choice(points)
        lon = f"{max(-180, min(180, float(lon) + rng.uniform(-0.5, 0.5))):.6f}"
        lat = f"{max(-85, min(85, float(lat) + rng.uniform(-0.5, 0.5))):.6f}"
    else:
        lon, lat = f"{rng.uniform(-180, 180):.6f}", f"{rng.uniform(-85, 85):.6f}"
    member = rng.choice(points)[2]
    opts = ["WITHDIST", "WITHCOORD", "WITHHASH"]
    if rng.random() < 0.5:
        opts.append(rng.choice(["ASC", "DESC"]))
    if rng.random() < 0.3:
        opts += ["COUNT", str(rng.randint(1, 40))]
    if kind == "radius":
        return ["GEORADIUS", "pts", lon, lat, size, unit] + opts
    if kind == "bymember":
        return ["GEORADIUSBYMEMBER_RO", "pts", member, size, unit] + opts
    centre = ["FROMMEMBER", member] if rng.random() < 0.5 else ["FROMLONLAT", lon, lat]
    if rng.random() < 0.5:
        shape = ["BYRADIUS", size, unit]
    else:
        h = f"{meters * rng.uniform(0.3, 2) / scale[unit]:.3f}"
        shape = ["BYBOX", size, h, unit]
    if kind == "store":
        store = ["STOREDIST"] if rng.random() < 0.5 else []
        count = ["COUNT", str(rng.randint(1, 60))] if rng.random() < 0.3 else []
        return ["GEOSEARCHSTORE", "dst", "pts"] + centre + shape + count + store
    return ["GEOSEARCH", "pts"] + centre + shape + opts


def test_random_searches_match_redis(c, reference):
    rng = random.Random(20261201)
    points = random_points(rng, 3000)
    for conn in (c, reference):
        batch = []
        for i in range(0, len(points), 500):
            args = ["GEOADD", "pts"]
            for lon, lat, name in points[i:i + 500]:
                args += [lon, lat, name]
            batch.append(args)
        assert conn.pipeline(batch) == [min(500, len(points) - i)
                                        for i in range(0, len(points), 500)]
    whole = ("ZRANGE", "pts", "0", "-1", "WITHSCORES")
    assert c.cmd(*whole) == reference.cmd(*whole)
    names = [p[2] for p in rng.sample(points, 200)] + ["nope"]
    for cmd in (("GEOPOS", "pts", *names), ("GEOHASH", "pts", *names)):
        assert c.cmd(*cmd) == reference.cmd(*cmd)
    dists = [("GEODIST", "pts", a, b, rng.choice(["m", "km", "mi", "ft"]))
             for a, b in zip(names[::2], names[1::2])]
    assert c.pipeline(dists) == reference.pipeline(dists)

    queries = [random_query(rng, points) for _ in range(400)]
    checks = []
    for q in queries:
        checks.append(q)
        if q[0] == "GEOSEARCHSTORE":
            checks.append(("ZRANGE", "dst", "0", "-1", "WITHSCORES"))
    got, want = c.pipeline(checks), reference.pipeline(checks)
    total = 0
    for q, g, w in zip(checks, got, want):
        assert g == w, q
        total += len(w) if isinstance(w, list) else 0
    assert total > 5000  # the searches do find points


def test_inside_a_transaction(c):
    assert c.cmd("MULTI") == b"OK"
    for args in [("GEOADD", "Sicily", "13.361389", "38.115556", "Palermo",
                  "15.087269", "37.502669", "Catania"),
                 ("GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "200", "km",
                  "WITHDIST", "ASC"),
                 ("GEOSEARCH", "Sicily", "FROMMEMBER", "nope", "BYRADIUS", "200", "km"),
                 ("GEOSEARCHSTORE", "d", "Sicily", "FROMMEMBER", "Catania", "BYRADIUS", "10",
                  "km", "STOREDIST"),
                 ("GEODIST", "Sicily", "Palermo", "Catania", "km")]:
        assert c.cmd(*args) == b"QUEUED"
    replies = c.cmd("EXEC")
    assert replies[:2] == [2, [[b"Palermo", b"0.0000"], [b"Catania", b"166.2742"]]]
    assert err(replies[2]) == NO_MEMBER
    assert replies[3:] == [1, b"166.2742"]
    assert c.cmd("ZRANGE", "d", "0", "-1", "WITHSCORES") == [b"Catania", b"0"]
