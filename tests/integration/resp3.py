"""A small RESP2/RESP3 client for tests (redis-py 4.3 speaks only RESP2).

    c = RespConnection("127.0.0.1", port)
    c.hello(3)                      # switch to RESP3, returns the HELLO map
    c.cmd("GET", "k", skip_push=True)   # pushes before the reply -> c.pushes
    c.cmd("SET", "k", "v")          # -> SimpleString(b"OK") (== b"OK")
    c.cmd("NOPE")                   # -> RespError("ERR unknown command ...")
    c.check("NOPE")                 # raises RespError instead
    c.cmd_raw("GET", "k")           # -> b"$1\\r\\nv\\r\\n" (exact reply bytes)
    c.pipeline([("SET","a",1), ("GET","a")])   # one write, list of replies

Reply types (type tags where RESP3 makes a distinction):
    +simple      SimpleString (bytes subclass)
    -error       RespError (Exception subclass; returned, not raised, by cmd)
    :integer     int
    $bulk        bytes;  $-1 / *-1 / _ -> None
    ,double      Double (float subclass; inf/-inf/nan)
    #t / #f      bool
    (bignum      BigNumber (int subclass)
    =verbatim    Verbatim (bytes subclass, .format e.g. "txt")
    *array       list
    %map         RespMap (dict subclass; aggregate keys become tuples)
    ~set         RespSet (list subclass, keeps order; == compares as a set)
    |attribute   stored in conn.last_attributes, the reply that follows is
                 returned
    >push        Push (list subclass; .kind is the first element as str)
    streamed strings/aggregates ($?, *?, %?, ~?) are assembled.
"""

import socket

CRLF = b"\r\n"


class SimpleString(bytes):
    """A +simple string reply (compares equal to the bytes it holds)."""
    def __repr__(self):
        return f"SimpleString({bytes(self)!r})"


class Verbatim(bytes):
    """A =verbatim string; .format is its 3-letter format ("txt", "mkd")."""
    def __new__(cls, data, fmt):
        obj = super().__new__(cls, data)
        obj.format = fmt
        return obj

    def __repr__(self):
        return f"Verbatim({self.format!r}, {bytes(self)!r})"


class Double(float):
    def __repr__(self):
        return f"Double({float(self)!r})"


class BigNumber(int):
    def __repr__(self):
        return f"BigNumber({int(self)!r})"


class RespMap(dict):
    def __repr__(self):
        return f"RespMap({dict.__repr__(self)})"


class RespSet(list):
    """A ~set reply. Keeps the server's order; == against a set/frozenset
    compares membership, against a list compares in order."""
    def __eq__(self, other):
        if isinstance(other, (set, frozenset)):
            return set(_hashable(x) for x in self) == other
        return list.__eq__(self, other)

    def __ne__(self, other):
        return not self.__eq__(other)

    __hash__ = None

    def as_set(self):
        return set(_hashable(x) for x in self)

    def __repr__(self):
        return f"RespSet({list.__repr__(self)})"


class Push(list):
    """A >push message; .kind is its first element decoded ("message", ...)."""
    @property
    def kind(self):
        if not self:
            return None
        k = self[0]
        return k.decode() if isinstance(k, bytes) else k

    def __repr__(self):
        return f"Push({list.__repr__(self)})"


class RespError(Exception):
    """An error reply. str(err) is the whole message, e.g.
    "ERR unknown command 'x', with args beginning with: "; .code is its first
    word ("ERR", "WRONGTYPE", "NOPROTO", ...)."""
    def __init__(self, message):
        if isinstance(message, bytes):
            message = message.decode("utf-8", "replace")
        super().__init__(message)
        self.message = message
        self.code = message.split(" ", 1)[0] if message else ""

    def __eq__(self, other):
        if isinstance(other, RespError):
            return self.message == other.message
        if isinstance(other, str):
            return self.message == other
        return NotImplemented

    def __hash__(self):
        return hash(self.message)

    def __repr__(self):
        return f"RespError({self.message!r})"


class ConnectionClosed(Exception):
    pass


def _hashable(x):
    if isinstance(x, list):
        return tuple(_hashable(i) for i in x)
    if isinstance(x, dict):
        return tuple((_hashable(k), _hashable(v)) for k, v in x.items())
    if isinstance(x, set):
        return frozenset(x)
    return x


def encode_command(*args):
    """Encode one command as a RESP multibulk."""
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        if isinstance(a, (bytes, bytearray, memoryview)):
            b = bytes(a)
        elif isinstance(a, str):
            b = a.encode()
        elif isinstance(a, bool):
            raise TypeError("bool argument; pass an explicit value")
        elif isinstance(a, (int, float)):
            b = repr(a).encode() if isinstance(a, float) else str(a).encode()
        else:
            raise TypeError(f"cannot encode {type(a).__name__}")
        out.append(b"$%d\r\n" % len(b))
        out.append(b)
        out.append(CRLF)
    return b"".join(out)


class RespConnection:
    def __init__(self, host="127.0.0.1", port=6379, timeout=10.0, sock=None):
        self.sock = sock or socket.create_connection((host, port), timeout=timeout)
        self.sock.settimeout(timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._buf = bytearray()
        self._pos = 0
        self.protocol = 2
        self.last_attributes = None
        self.pushes = []           # push messages skipped by skip_push reads

    # ---- I/O -------------------------------------------------------------
    def settimeout(self, t):
        self.sock.settimeout(t)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def send_raw(self, data):
        self.sock.sendall(data)

    def send(self, *args):
        self.sock.sendall(encode_command(*args))

    def _fill(self):
        try:
            chunk = self.sock.recv(1 << 16)
        except ConnectionResetError as e:
            raise ConnectionClosed(f"connection reset: {e}") from None
        if not chunk:
            raise ConnectionClosed("connection closed by server")
        self._buf += chunk

    def _readline(self):
        while True:
            i = self._buf.find(CRLF, self._pos)
            if i >= 0:
                line = bytes(self._buf[self._pos:i])
                self._pos = i + 2
                return line
            self._fill()

    def _readexact(self, n):
        while len(self._buf) - self._pos < n:
            self._fill()
        data = bytes(self._buf[self._pos:self._pos + n])
        self._pos += n
        return data

    def _read_crlf(self):
        tail = self._readexact(2)
        if tail != CRLF:
            raise ValueError(f"protocol: expected CRLF, got {tail!r}")

    # ---- parsing ---------------------------------------------------------
    def _read_value(self):
        line = self._readline()
        if not line:
            raise ValueError("protocol: empty line")
        t, rest = line[:1], line[1:]
        if t == b"+":
            return SimpleString(rest)
        if t == b"-":
            return RespError(rest)
        if t == b":":
            return int(rest)
        if t == b"$":
            if rest == b"?":
                return self._read_streamed_string()
            n = int(rest)
            if n < 0:
                return None
            data = self._readexact(n)
            self._read_crlf()
            return data
        if t == b"_":
            return None
        if t == b",":
            return Double(float(rest))
        if t == b"#":
            if rest == b"t":
                return True
            if rest == b"f":
                return False
            raise ValueError(f"protocol: bad boolean {line!r}")
        if t == b"(":
            return BigNumber(int(rest))
        if t == b"=":
            n = int(rest)
            data = self._readexact(n)
            self._read_crlf()
            fmt, _, body = data.partition(b":")
            return Verbatim(body, fmt.decode())
        if t == b"!":        # blob error
            n = int(rest)
            data = self._readexact(n)
            self._read_crlf()
            return RespError(data)
        if t in (b"*", b"~", b">"):
            items = self._read_items(rest)
            if items is None:
                return None
            if t == b"~":
                return RespSet(items)
            if t == b">":
                return Push(items)
            return items
        if t == b"%":
            if rest == b"?":
                flat = self._read_streamed_items()
            else:
                n = int(rest)
                flat = [self._read_value() for _ in range(2 * n)]
            return self._to_map(flat)
        if t == b"|":
            n = int(rest)
            flat = [self._read_value() for _ in range(2 * n)]
            attrs = self._to_map(flat)
            value = self._read_value()
            self.last_attributes = attrs
            return value
        if t == b".":        # end of a streamed aggregate
            return _END
        raise ValueError(f"protocol: unknown reply type {line!r}")

    def _read_items(self, rest):
        if rest == b"?":
            return self._read_streamed_items()
        n = int(rest)
        if n < 0:
            return None
        return [self._read_value() for _ in range(n)]

    def _read_streamed_items(self):
        items = []
        while True:
            v = self._read_value()
            if v is _END:
                return items
            items.append(v)

    def _read_streamed_string(self):
        parts = []
        while True:
            line = self._readline()
            if not line.startswith(b";"):
                raise ValueError(f"protocol: bad streamed string chunk {line!r}")
            n = int(line[1:])
            if n == 0:
                return b"".join(parts)
            parts.append(self._readexact(n))
            self._read_crlf()

    @staticmethod
    def _to_map(flat):
        m = RespMap()
        for i in range(0, len(flat), 2):
            m[_hashable(flat[i])] = flat[i + 1]
        return m

    def _discard_consumed(self):
        if self._pos:
            del self._buf[:self._pos]
            self._pos = 0

    def read_reply(self, skip_push=False):
        """Read and parse one reply. A push message counts as a reply unless
        skip_push, which sets pushes aside in self.pushes."""
        while True:
            self._discard_consumed()
            self.last_attributes = None
            v = self._read_value()
            self._compact()
            if skip_push and isinstance(v, Push):
                self.pushes.append(v)
                continue
            return v

    def read_raw_reply(self):
        """Read one reply and return its exact bytes."""
        self._discard_consumed()
        start = self._pos
        self._read_value()
        data = bytes(self._buf[start:self._pos])
        self._compact()
        return data

    def _compact(self):
        if self._pos == len(self._buf):
            self._buf.clear()
            self._pos = 0

    def read_available_raw(self, wait=0.2):
        """Everything the server sends within `wait` seconds (or until it
        closes); returns (bytes, closed)."""
        data = bytes(self._buf[self._pos:])
        self._buf.clear()
        self._pos = 0
        old = self.sock.gettimeout()
        self.sock.settimeout(wait)
        closed = False
        try:
            while True:
                try:
                    chunk = self.sock.recv(1 << 16)
                except socket.timeout:
                    break
                except ConnectionResetError:
                    closed = True
                    break
                if not chunk:
                    closed = True
                    break
                data += chunk
        finally:
            self.sock.settimeout(old)
        return data, closed

    # ---- commands --------------------------------------------------------
    def cmd(self, *args, skip_push=False):
        """Send a command, return its parsed reply (errors are returned).
        With skip_push, push messages before the reply go to self.pushes."""
        self.send(*args)
        return self.read_reply(skip_push=skip_push)

    def check(self, *args):
        """Like cmd, but raises RespError on an error reply."""
        v = self.cmd(*args)
        if isinstance(v, RespError):
            raise v
        return v

    def cmd_raw(self, *args):
        """Send a command, return the exact bytes of its reply."""
        self.send(*args)
        return self.read_raw_reply()

    def pipeline(self, commands, raw=False):
        """Send all commands in one write, return their replies in order."""
        self.sock.sendall(b"".join(encode_command(*c) for c in commands))
        read = self.read_raw_reply if raw else self.read_reply
        return [read() for _ in commands]

    def hello(self, protover=3, *extra):
        """HELLO <protover> [extra...]; switches the parser's notion of the
        protocol on success and returns the reply (a map or a flat list)."""
        v = self.cmd("HELLO", protover, *extra)
        if isinstance(v, RespError):
            raise v
        self.protocol = int(protover)
        return v


class _End:
    def __repr__(self):
        return "<END>"


_END = _End()


class FakeSocket:
    """A socket that yields canned bytes: for checking the parser offline."""

    def __init__(self, d, chunk=None):
        self.d = d
        self.chunk = chunk  # at most this many bytes per recv (None: as asked)

    def settimeout(self, t):
        pass

    def setsockopt(self, *a):
        pass

    def recv(self, n):
        n = min(n, self.chunk or n)
        d, self.d = self.d[:n], self.d[n:]
        return d


def parse_all(data):
    """Parse every complete reply in `data` (bytes); for unit checks."""
    c = RespConnection(sock=FakeSocket(data))
    out = []
    while c._pos < len(c._buf) or c.sock.d:
        out.append(c.read_reply())
    return out
