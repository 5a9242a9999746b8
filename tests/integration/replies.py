"""Redis's error texts that many test files check, and `err`, which turns a
resp3.py error reply into its text (failing the test on any other reply)."""
from resp3 import RespError

WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value"
NOT_INT = "ERR value is not an integer or out of range"
NOT_FLOAT = "ERR value is not a valid float"
SYNTAX = "ERR syntax error"


def err(v):
    assert isinstance(v, RespError), f"expected an error reply, got {v!r}"
    return str(v)
