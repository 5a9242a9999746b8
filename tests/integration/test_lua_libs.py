"""The libraries scripts load (cjson, cmsgpack, struct, bit) and the Lua 5.1
functions Redis scripts call (unpack, loadstring, table.getn, math.mod, ...),
through EVAL: encodings byte for byte, decoding, errors as scripts see them
(the "user_script:1: ..." prefix), and scripts that store and read JSON and
MessagePack values in keys. Objects are encoded with one key each: the order
of several keys follows the Lua table's iteration order, which differs
between Lua 5.1 (Redis) and 5.4 (Strata).
Expected values are those of redis-server 7.0.15."""

import pytest

from replies import err

pytestmark = pytest.mark.needs("eval")


def ev(c, script, *keys_and_args, numkeys=0):
    return c.cmd("EVAL", script, str(numkeys), *keys_and_args)


# cjson's settings live as long as the interpreter: each cjson script starts
# from the defaults (on the same line, so errors still read user_script:1).
CJSON_DEFAULTS = ("cjson.encode_sparse_array(false, 2, 10) cjson.encode_max_depth(1000) "
                  "cjson.decode_max_depth(1000) cjson.encode_number_precision(14) "
                  "cjson.encode_keep_buffer(true) cjson.encode_invalid_numbers(false) "
                  "cjson.decode_invalid_numbers(true) ")


# --------------------------------------------------------------------------
# cjson
# --------------------------------------------------------------------------

@pytest.mark.parametrize("script,want", [
    ("return cjson.encode({})", b"{}"),
    ("return cjson.encode({1, 2, 'x', true, false})", b'[1,2,"x",true,false]'),
    ("return cjson.encode({a = {b = {c = 'd'}}})", b'{"a":{"b":{"c":"d"}}}'),
    ("return cjson.encode({[1] = 1, [3] = 3})", b"[1,null,3]"),
    ("return cjson.encode({cjson.null})", b"[null]"),
    ("return cjson.encode('a/b\"c\\\\' .. string.char(0, 10, 127, 200))",
     b'"a\\/b\\"c\\\\\\u0000\\n\\u007f\xc8"'),
    ("return cjson.encode({1/3, 0.1, 1e20, 123456789012345, 2^53, 3.0, -42, -1.5e-7})",
     b"[0.33333333333333,0.1,1e+20,1.2345678901234e+14,9.007199254741e+15,3,-42,-1.5e-07]"),
    ("return cjson.encode({[1.5] = 'x'})", b'{"1.5":"x"}'),
    ("cjson.encode_sparse_array(true) return cjson.encode({[20] = 2})", b'{"20":2}'),
    ("cjson.encode_number_precision(3) return cjson.encode(math.pi)", b"3.14"),
    ("cjson.encode_invalid_numbers(true) return cjson.encode({1/0, -1/0})", b"[inf,-inf]"),
    ("cjson.encode_keep_buffer(false) return cjson.encode({1}) .. cjson.encode({2})",
     b"[1][2]"),
    ("return cjson.decode('[1,2,3]')[3]", 3),
    ("return cjson.decode('{\"a\":{\"b\":[1,\"x\",null,true]}}').a.b[2]", b"x"),
    ("return tostring(cjson.decode('[null]')[1] == cjson.null)", b"true"),
    ("return #cjson.decode('[1,null,3]')", 3),
    ("return cjson.decode('\"\\\\u00e9\\\\ud83d\\\\ude00\\\\/\"')",
     "é😀/".encode()),
    ("return tostring(cjson.decode('12345678901234567890'))", b"1.2345678901235e+19"),
    # cjson takes raw control characters inside strings (RFC 8259 does not).
    ("return cjson.decode('\"a' .. string.char(10, 9, 1) .. 'b\"')", b"a\n\t\x01b"),
    ("return cjson.decode('[3.0]')[1] .. '|' .. cjson.decode('2.5') .. '|' .. cjson.decode('1E2')",
     b"3|2.5|100"),
    ("return #cjson.decode(string.rep('[', 1000) .. string.rep(']', 1000))", 1),
])
def test_cjson(c, script, want):
    assert ev(c, CJSON_DEFAULTS + script) == want


@pytest.mark.parametrize("script,message", [
    ("return cjson.encode({[1] = 1, [20] = 2})", "Cannot serialise table: excessively sparse array"),
    ("return cjson.encode({[true] = 1})",
     "Cannot serialise boolean: table key must be a number or string"),
    ("return cjson.encode(function() end)", "Cannot serialise function: type not supported"),
    ("return cjson.encode(1/0)", "Cannot serialise number: must not be NaN or Inf"),
    ("return cjson.encode()", "bad argument #1 to 'encode' (expected 1 argument)"),
    ("local t = {} local c = t for i = 1, 1000 do c[1] = {} c = c[1] end return cjson.encode(t)",
     "Cannot serialise, excessive nesting (1001)"),
    ("return cjson.encode_number_precision(15)",
     "bad argument #1 to 'encode_number_precision' (expected integer between 1 and 14)"),
    ("return cjson.decode('')", "Expected value but found T_END at character 1"),
    ("return cjson.decode('{')", "Expected object key string but found T_END at character 2"),
    ("return cjson.decode('[1,]')", "Expected value but found T_ARR_END at character 4"),
    ("return cjson.decode('[1 2]')", "Expected comma or array end but found T_NUMBER at character 4"),
    ("return cjson.decode('{\"a\" 1}')", "Expected colon but found T_NUMBER at character 6"),
    ("return cjson.decode('{\"a\":1 \"b\":2}')",
     "Expected comma or object end but found T_STRING at character 8"),
    ("return cjson.decode('[1]x')", "Expected the end but found invalid token at character 4"),
    ("return cjson.decode('tru')", "Expected value but found invalid token at character 1"),
    ("return cjson.decode('\"abc')",
     "Expected value but found unexpected end of string at character 5"),
    ("return cjson.decode(string.rep('[', 1001) .. string.rep(']', 1001))",
     "Found too many nested data structures (1001) at character 1001"),
    ("cjson.decode_max_depth(2) return cjson.decode('[[[1]]]')",
     "Found too many nested data structures (3) at character 3"),
])
def test_cjson_errors(c, script, message):
    assert err(ev(c, CJSON_DEFAULTS + script)).startswith("ERR user_script:1: " + message + " script: ")


def test_cjson_values_in_keys(c):
    ev(c, "return redis.call('SET', KEYS[1], cjson.encode({n = 5, tags = {'a', 'b'}}))", "k",
       numkeys=1)
    script = ("local v = cjson.decode(redis.call('GET', KEYS[1])) "
              "v.n = v.n + 1 redis.call('SET', KEYS[1], cjson.encode({n = v.n})) "
              "return {v.n, v.tags[2], #v.tags}")
    assert ev(c, script, "k", numkeys=1) == [6, b"b", 2]
    assert c.cmd("GET", "k") == b'{"n":6}'


def test_cjson_decode_pcall(c):
    script = "local ok, e = pcall(cjson.decode, ARGV[1]) return {tostring(ok), e}"
    assert ev(c, script, "{bad") == [
        b"false", b"Expected object key string but found invalid token at character 2"]


# --------------------------------------------------------------------------
# cmsgpack
# --------------------------------------------------------------------------

@pytest.mark.parametrize("script,want", [
    ("return cmsgpack.pack(0, 127, 128, 256, 65536, 4294967296)",
     bytes.fromhex("007fcc80cd0100ce00010000cf0000000100000000")),
    ("return cmsgpack.pack(-1, -33, -129, -32769, -2147483649)",
     bytes.fromhex("ffd0dfd1ff7fd2ffff7fffd3ffffffff7fffffff")),
    ("return cmsgpack.pack(1.5, 0.1, 3.0, math.huge)",
     bytes.fromhex("ca3fc00000cb3fb999999999999a03ca7f800000")),
    ("return cmsgpack.pack('', 'abc', true, false, nil)", bytes.fromhex("a0a3616263c3c2c0")),
    ("return cmsgpack.pack(string.rep('x', 32)):sub(1, 3)", bytes.fromhex("d92078")),
    ("return cmsgpack.pack({}, {1, 2, 3}, {a = 1}, {{}, {x = {true}}})",
     bytes.fromhex("909301020381a16101929081a17891c3")),
    ("local t = {} local c = t for i = 1, 20 do c[1] = {} c = c[1] end return cmsgpack.pack(t)",
     bytes.fromhex("91" * 16 + "c0")),
    ("local a, b, c, d = cmsgpack.unpack(cmsgpack.pack(1, 'a', {1, 2}, {x = 1})) "
     "return a .. b .. c[2] .. d.x", b"1a21"),
    ("return table.concat({cmsgpack.unpack_one(cmsgpack.pack(7, 8))}, ',')", b"1,7"),
    ("return table.concat({cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), 2, 1)}, ',')",
     b"-1,2,3"),
    ("return tostring(cmsgpack.unpack(string.char(0xca, 0x3d, 0xcc, 0xcc, 0xcd)))",
     b"0.10000000149012"),
])
def test_cmsgpack(c, script, want):
    assert ev(c, script) == want


@pytest.mark.parametrize("script,message", [
    ("return cmsgpack.pack()", "bad argument #0 to 'pack' (MessagePack pack needs input.)"),
    ("return cmsgpack.unpack(string.char(0x92, 1))", "Missing bytes in input."),
    ("return cmsgpack.unpack(string.char(0xc1))", "Bad data format in input."),
    ("return cmsgpack.unpack_one('x', 5)", "Start offset 5 greater than input length 1."),
])
def test_cmsgpack_errors(c, script, message):
    assert err(ev(c, script)).startswith("ERR user_script:1: " + message + " script: ")


def test_cmsgpack_values_in_keys(c):
    ev(c, "return redis.call('SET', KEYS[1], cmsgpack.pack({10, 'x'}))", "k", numkeys=1)
    assert c.cmd("GET", "k") == bytes.fromhex("920aa178")
    script = "local t = cmsgpack.unpack(redis.call('GET', KEYS[1])) return t[1] + #t[2]"
    assert ev(c, script, "k", numkeys=1) == 11


# --------------------------------------------------------------------------
# struct, bit
# --------------------------------------------------------------------------

@pytest.mark.parametrize("script,want", [
    ("return struct.pack('>I2<i4', 258, -2)", bytes.fromhex("0102feffffff")),
    ("return struct.pack('bBhHlL', -1, 255, -2, 65535, -1, 2^40)",
     bytes.fromhex("fffffeffffff" + "ff" * 8 + "0000000000010000")),
    ("return struct.pack('>d c3 s', 0.1, 'abcdef', 'hi')",
     bytes.fromhex("3fb999999999999a616263686900")),
    ("return struct.pack('!4 b i', 1, 2)", bytes.fromhex("0100000002000000")),
    ("return table.concat({struct.unpack('<i4 b', string.char(254, 255, 255, 255, 5))}, ',')",
     b"-2,5,6"),
    ("return table.concat({struct.unpack('Bc0', string.char(3) .. 'abcde')}, ',')", b"abc,5"),
    ("return struct.size('bhilLTfdx')", 44),
    ("return bit.tobit(0xffffffff) .. ' ' .. bit.tobit(2^32 + 1)", b"-1 1"),
    ("return bit.tohex(-1) .. ' ' .. bit.tohex(255, -2)", b"ffffffff FF"),
    ("return bit.band(0xff, 0x0f, 0x3) .. ' ' .. bit.bor(1, 2, 4) .. ' ' .. bit.bxor(5, 3)",
     b"3 7 6"),
    ("return bit.lshift(1, 31) .. ' ' .. bit.rshift(-1, 28) .. ' ' .. bit.arshift(-256, 4)",
     b"-2147483648 15 -16"),
    ("return bit.rol(0x12345678, 12) .. ' ' .. bit.bswap(0x12345678)",
     b"1164411171 2018915346"),
])
def test_struct_and_bit(c, script, want):
    assert ev(c, script) == want


@pytest.mark.parametrize("script,message", [
    ("return struct.pack('z')", "bad argument #1 to 'pack' (invalid format option 'z')"),
    ("return struct.pack('i33', 1)", "integral size 33 is larger than limit of 32"),
    ("return struct.unpack('i', 'ab')", "bad argument #2 to 'unpack' (data string too short)"),
    ("return struct.unpack('s', 'hi')", "unfinished string in data"),
    ("return bit.band('x')", "bad argument #1 to 'band' (number expected, got string)"),
])
def test_struct_and_bit_errors(c, script, message):
    assert err(ev(c, script)).startswith("ERR user_script:1: " + message + " script: ")


# --------------------------------------------------------------------------
# Lua 5.1 functions
# --------------------------------------------------------------------------

@pytest.mark.parametrize("script,want", [
    ("return {unpack({1, 2, 3})}", [1, 2, 3]),
    ("return loadstring('return 1 + 1')()", 2),
    ("return tostring(loadstring('x x'))", b"nil"),
    ("return tostring(loadstring(string.dump(function() return 1 end)))", b"nil"),
    ("return table.getn({1, 2, 3})", 3),
    ("return table.maxn({1, 2, [10] = 3})", 10),
    ("return table.foreachi({5, 6, 7}, function(i, v) if v == 6 then return i end end)", 2),
    ("return math.mod(7, 3) .. ' ' .. math.mod(-7, 3) .. ' ' .. math.mod(5.5, 2)",
     b"1 -1 1.5"),
    ("return math.pow(2, 10) .. ' ' .. math.log10(1000) .. ' ' .. math.ldexp(1, 10)",
     b"1024 3 1024"),
    ("return table.concat({math.frexp(8)}, ',') .. ' ' .. math.atan2(1, 1)",
     b"0.5,4 0.78539816339745"),
    ("local t = {} for w in string.gfind('a b c', '%a') do t[#t + 1] = w end "
     "return table.concat(t)", b"abc"),
    ("return type(gcinfo())", b"number"),
])
def test_lua51_functions(c, script, want):
    assert ev(c, script) == want


def test_table_setn_is_obsolete(c):
    assert err(ev(c, "return table.setn({}, 1)")).startswith(
        "ERR user_script:1: 'setn' is obsolete script: ")
