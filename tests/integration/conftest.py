"""Shared fixtures for Strata's integration tests.

Every test gets a server of its own: a fresh process on a free port (bound to
127.0.0.1) with its own temporary data directory. The same tests run against
Strata (the default) and against Debian's redis-server 7.0.15, which defines
the expected behaviour:

    /usr/bin/python3 -m pytest tests/integration                  # strata
    /usr/bin/python3 -m pytest tests/integration --server redis   # reference

Options:
    --server strata|redis   which server to start (default strata)
    --strata-bin PATH       strata-server binary (default: $STRATA_BIN, else
                            <repo>/build/strata-server)
    --redis-bin PATH        redis-server binary (default: $REDIS_BIN, else
                            /usr/bin/redis-server)

Fixtures:
    server          function-scoped ServerHandle (a fresh server per test)
    module_server   module-scoped ServerHandle, shared by a module's tests;
                    cheaper, for tests that only read/write their own keys.
                    Each test using it should start from FLUSHALL (the
                    `flushed_server` fixture does that).
    flushed_server  module_server after FLUSHALL and with RESP2 defaults
    server_kind     "strata" or "redis"
    server_factory  start extra servers (e.g. two at once) within one test

Markers:
    strata_only     skipped under --server redis (Strata-specific behaviour)
    redis_only      skipped under --server strata
    server_args(*args)   extra command-line arguments for the `server`
                    fixture, e.g. @pytest.mark.server_args("--appendfsync", "always")

On teardown the server is stopped with SIGTERM; the test fails if the process
died on its own before that (a crash), was killed by a signal we did not send,
or exited with a non-zero status. The server's stdout/stderr go to
<tmpdir>/server.log; its tail is attached to the report of every failed test.
"""

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import redis

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_STRATA_BIN = REPO_ROOT / "build" / "strata-server"
DEFAULT_REDIS_BIN = Path("/usr/bin/redis-server")

START_TIMEOUT = float(os.environ.get("STRATA_TEST_START_TIMEOUT", "20"))
STOP_TIMEOUT = float(os.environ.get("STRATA_TEST_STOP_TIMEOUT", "15"))
LOG_TAIL_LINES = 120

# Every ServerHandle that was started and not yet torn down; failed test
# reports get the log tails of these.
_ACTIVE_HANDLES = []


# --------------------------------------------------------------------------
# pytest options and markers
# --------------------------------------------------------------------------

def pytest_addoption(parser):
    group = parser.getgroup("strata")
    group.addoption("--server", choices=("strata", "redis"), default="strata",
                    help="server under test (default: strata)")
    group.addoption("--strata-bin", default=None,
                    help="path of strata-server (default: $STRATA_BIN or "
                         "<repo>/build/strata-server)")
    group.addoption("--redis-bin", default=None,
                    help="path of redis-server (default: $REDIS_BIN or "
                         "/usr/bin/redis-server)")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "strata_only: Strata-specific test, skipped under --server redis")
    config.addinivalue_line(
        "markers", "redis_only: test that only makes sense against redis-server")
    config.addinivalue_line(
        "markers", "server_args(*args): extra command-line arguments for the "
                   "`server` fixture")
    config.addinivalue_line(
        "markers", "needs(*commands): skipped against a server that does not serve "
                   "these commands yet (\"client|setname\" names a subcommand)")


def pytest_report_header(config):
    kind = config.getoption("--server")
    return f"server under test: {kind} ({_binary_path(config, kind)})"


def pytest_collection_modifyitems(config, items):
    kind = config.getoption("--server")
    skip_strata_only = pytest.mark.skip(reason="strata_only: not run against redis-server")
    skip_redis_only = pytest.mark.skip(reason="redis_only: not run against strata")
    for item in items:
        if kind == "redis" and "strata_only" in item.keywords:
            item.add_marker(skip_strata_only)
        if kind == "strata" and "redis_only" in item.keywords:
            item.add_marker(skip_redis_only)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        for handle in list(_ACTIVE_HANDLES):
            tail = handle.log_tail()
            if tail:
                report.sections.append(
                    (f"{handle.kind} server log ({handle.log_path})", tail))


def _binary_path(config, kind):
    if kind == "strata":
        p = config.getoption("--strata-bin") or os.environ.get("STRATA_BIN")
        return Path(p) if p else DEFAULT_STRATA_BIN
    p = config.getoption("--redis-bin") or os.environ.get("REDIS_BIN")
    return Path(p) if p else DEFAULT_REDIS_BIN


# --------------------------------------------------------------------------
# server handle
# --------------------------------------------------------------------------

def free_port():
    """A TCP port that was free a moment ago on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _merge_args(base, extra):
    """Merge `--name value...` argument lists; later names override earlier."""
    def parse(args):
        out = []
        args = [str(a) for a in args]
        i = 0
        while i < len(args):
            name = args[i]
            if not name.startswith("--"):
                raise ValueError(f"expected --option, got {name!r} in {args!r}")
            j = i + 1
            while j < len(args) and not args[j].startswith("--"):
                j += 1
            out.append((name, args[i + 1:j]))
            i = j
        return out

    merged = {}
    for name, values in parse(base) + parse(extra):
        merged[name.lower()] = (name, values)
    result = []
    for name, values in merged.values():
        result.append(name)
        result.extend(values)
    return result


class ServerCrashed(Exception):
    pass


class ServerHandle:
    """A strata-server or redis-server process owned by one test (or module).

    Attributes: kind ("strata"/"redis"), host, port, data_dir, log_path, proc.
    """

    def __init__(self, kind, binary, base_dir, extra_args=()):
        self.kind = kind
        self.binary = Path(binary)
        self.host = "127.0.0.1"
        self.port = None
        self.base_dir = Path(base_dir)
        self.data_dir = self.base_dir / "data"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_path = self.base_dir / "server.log"
        self.extra_args = list(extra_args)
        self.proc = None
        self._log_file = None
        self._expected_signal = None   # signal we sent to the current process
        self._clients = []
        self.problems = []              # crash/exit reports, checked at teardown

    # ---- command line ----------------------------------------------------
    def command_line(self, port=None, data_dir=None, extra_args=None):
        port = self.port if port is None else port
        data_dir = self.data_dir if data_dir is None else data_dir
        extra = self.extra_args if extra_args is None else extra_args
        if self.kind == "redis":
            base = ["--port", port, "--bind", "127.0.0.1", "--dir", data_dir,
                    "--save", "", "--appendonly", "yes",
                    "--appendfsync", "everysec", "--daemonize", "no",
                    "--logfile", ""]
        else:
            base = ["--port", port, "--bind", "127.0.0.1", "--dir", data_dir]
        return [str(self.binary)] + _merge_args(base, extra)

    # ---- lifecycle -------------------------------------------------------
    def start(self, extra_args=None):
        """Start the server (same port and data dir after the first start).

        extra_args, when given, replace the handle's extra arguments for this
        and later starts."""
        if self.proc is not None and self.proc.poll() is None:
            raise RuntimeError("server already running")
        if extra_args is not None:
            self.extra_args = list(extra_args)
        if not self.binary.exists():
            pytest.fail(f"{self.kind} server binary not found: {self.binary} "
                        f"(build it, or pass --strata-bin / set STRATA_BIN)",
                        pytrace=False)
        attempts = 3 if self.port is None else 1
        for attempt in range(attempts):
            if self.port is None or attempt > 0:
                self.port = free_port()
            if self._spawn_and_wait():
                return self
        raise ServerCrashed(
            f"{self.kind} server did not start on port {self.port}:\n{self.log_tail()}")

    def _spawn_and_wait(self):
        cmd = self.command_line()
        self._log_file = open(self.log_path, "ab", buffering=0)
        self._log_file.write(f"\n=== start: {' '.join(cmd)!r}\n".encode())
        self._expected_signal = None
        self.proc = subprocess.Popen(cmd, stdout=self._log_file,
                                     stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL,
                                     cwd=str(self.base_dir))
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                code = self.proc.returncode
                text = self.log_tail()
                if "in use" in text.lower() or "address already" in text.lower():
                    return False          # port race: retry on another port
                raise ServerCrashed(
                    f"{self.kind} server exited during startup with status {code}:\n{text}")
            if self._answers_ping():
                return True
            time.sleep(0.02)
        self.proc.kill()
        self.proc.wait()
        raise ServerCrashed(
            f"{self.kind} server did not answer PING within {START_TIMEOUT}s:\n"
            f"{self.log_tail()}")

    def _answers_ping(self):
        try:
            with socket.create_connection((self.host, self.port), timeout=1) as s:
                s.sendall(b"*1\r\n$4\r\nPING\r\n")
                data = b""
                while not data.endswith(b"\r\n"):
                    chunk = s.recv(1024)
                    if not chunk:
                        return False
                    data += chunk
                # -NOAUTH: up, but a password is required (--requirepass).
                return data == b"+PONG\r\n" or data.startswith(b"-NOAUTH")
        except OSError:
            return False

    def _check_exit(self, expected_signal):
        """Record a problem if the process ended in a way we did not cause."""
        code = self.proc.returncode
        if expected_signal is None:
            self.problems.append(
                f"{self.kind} server (pid {self.proc.pid}) died on its own: "
                f"{_describe_status(code)}")
        elif code < 0 and -code != expected_signal:
            self.problems.append(
                f"{self.kind} server (pid {self.proc.pid}) was killed by "
                f"{_describe_status(code)} after we sent "
                f"{signal.Signals(expected_signal).name}")
        elif code > 0:
            self.problems.append(
                f"{self.kind} server (pid {self.proc.pid}) exited with status "
                f"{code} after {signal.Signals(expected_signal).name}")

    def stop(self, sig=signal.SIGTERM, timeout=STOP_TIMEOUT):
        """Stop the server with `sig` (SIGTERM: graceful shutdown)."""
        self.close_clients()
        if self.proc is None:
            return
        if self.proc.poll() is not None and not _process_exists(self.proc.pid):
            # Already gone before we asked: a crash, unless we killed it.
            self._check_exit(self._expected_signal)
        elif self.proc.returncode is not None:
            # poll() could not wait for the child (ECHILD) but it still runs:
            # signal it and watch /proc; its status is unknowable.
            self._expected_signal = int(sig)
            os.kill(self.proc.pid, sig)
            deadline = time.monotonic() + timeout
            while _process_exists(self.proc.pid) and time.monotonic() < deadline:
                time.sleep(0.05)
            if _process_exists(self.proc.pid):
                self.problems.append(
                    f"{self.kind} server did not exit within {timeout}s of "
                    f"{signal.Signals(sig).name}; killed with SIGKILL")
                os.kill(self.proc.pid, signal.SIGKILL)
        else:
            self._expected_signal = int(sig)
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.problems.append(
                    f"{self.kind} server did not exit within {timeout}s of "
                    f"{signal.Signals(sig).name}; killed with SIGKILL")
                self._expected_signal = int(signal.SIGKILL)
                self.proc.kill()
                self.proc.wait()
            else:
                self._check_exit(self._expected_signal)
        self.proc = None
        if self._log_file:
            self._log_file.close()
            self._log_file = None

    def kill9(self):
        """SIGKILL the server (simulated crash); no shutdown work happens."""
        self.stop(sig=signal.SIGKILL)

    def restart(self, extra_args=None):
        """Graceful stop, then start again on the same port and data dir."""
        self.stop()
        return self.start(extra_args)

    def is_alive(self):
        if self.proc is None:
            return False
        return self.proc.poll() is None or _process_exists(self.proc.pid)

    # ---- clients ---------------------------------------------------------
    def client(self, **kw):
        """A redis-py client (RESP2; bytes replies unless decode_responses)."""
        kw.setdefault("decode_responses", False)
        kw.setdefault("socket_timeout", 30)
        kw.setdefault("socket_connect_timeout", 10)
        c = redis.Redis(host=self.host, port=self.port, **kw)
        self._clients.append(c)
        return c

    def resp(self, protocol=2, **kw):
        """A connection of the project's own RESP2/RESP3 client (resp3.py)."""
        from resp3 import RespConnection
        c = RespConnection(self.host, self.port, **kw)
        self._clients.append(c)
        if protocol == 3:
            c.hello(3)
        return c

    def raw_socket(self, timeout=5):
        s = socket.create_connection((self.host, self.port), timeout=timeout)
        self._clients.append(s)
        return s

    def close_clients(self):
        for c in self._clients:
            try:
                c.close()
            except Exception:
                pass
        self._clients = []

    # ---- logs ------------------------------------------------------------
    def log_text(self):
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def log_tail(self, lines=LOG_TAIL_LINES):
        text = self.log_text()
        return "\n".join(text.splitlines()[-lines:])

    def __repr__(self):
        return f"<ServerHandle {self.kind} {self.host}:{self.port} {self.data_dir}>"


def _process_exists(pid):
    """True if `pid` is a live (not zombie) process. Popen.poll() reports a
    child it cannot wait for (ECHILD) as exited with status 0; /proc is the
    tie-breaker."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def _describe_status(code):
    if code is None:
        return "still running"
    if code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit status {code}"


def _finish(handle):
    """Tear a handle down; fail if the server crashed at any point."""
    try:
        handle.stop()
    finally:
        if handle in _ACTIVE_HANDLES:
            _ACTIVE_HANDLES.remove(handle)
    if handle.problems:
        pytest.fail("\n".join(handle.problems) +
                    f"\n--- {handle.log_path} (tail) ---\n{handle.log_tail()}",
                    pytrace=False)


# --------------------------------------------------------------------------
# fixtures
# --------------------------------------------------------------------------

@pytest.fixture(scope="session")
def server_kind(pytestconfig):
    return pytestconfig.getoption("--server")


@pytest.fixture(scope="session")
def server_binary(pytestconfig, server_kind):
    path = _binary_path(pytestconfig, server_kind)
    if not path.exists():
        pytest.fail(f"{server_kind} server binary not found: {path} (build it, "
                    f"or pass --strata-bin PATH / set STRATA_BIN)", pytrace=False)
    return path


class _Factory:
    def __init__(self, kind, binary, tmp_path_factory):
        self.kind = kind
        self.binary = binary
        self.tmp_path_factory = tmp_path_factory
        self.handles = []

    def __call__(self, extra_args=(), start=True):
        base = self.tmp_path_factory.mktemp(f"{self.kind}-")
        h = ServerHandle(self.kind, self.binary, base, extra_args)
        self.handles.append(h)
        _ACTIVE_HANDLES.append(h)
        if start:
            h.start()
        return h

    def finish_all(self):
        errors = []
        for h in self.handles:
            try:
                _finish(h)
            except pytest.fail.Exception as e:
                errors.append(str(e))
        if errors:
            pytest.fail("\n\n".join(errors), pytrace=False)


@pytest.fixture(scope="session")
def served_commands(server_kind, server_binary, tmp_path_factory):
    """Lower-case names of the commands and subcommands the server under test
    serves (COMMAND LIST), read once per session."""
    f = _Factory(server_kind, server_binary, tmp_path_factory)
    h = f()
    try:
        names = h.resp(2).cmd("COMMAND", "LIST")
        return {n.decode().lower() for n in names}
    finally:
        f.finish_all()


@pytest.fixture(autouse=True)
def _skip_unserved(request):
    """Honours @pytest.mark.needs(...): a test of behaviour that depends on a
    command the server does not serve yet is skipped, naming the command, and
    runs by itself once the command exists. Redis serves everything."""
    marker = request.node.get_closest_marker("needs")
    if marker is None:
        return
    served = request.getfixturevalue("served_commands")
    missing = [c for c in marker.args if c.lower() not in served]
    if missing:
        pytest.skip("needs " + ", ".join(missing) + " (not served yet)")


@pytest.fixture
def redis_beside(pytestconfig, tmp_path_factory):
    """A redis-server 7.0.15 started next to the server under test, for the
    Strata-only tests that move data between the two or compare them."""
    f = _Factory("redis", _binary_path(pytestconfig, "redis"), tmp_path_factory)
    yield f(extra_args=["--enable-debug-command", "yes"])
    f.finish_all()


@pytest.fixture
def server_factory(server_kind, server_binary, tmp_path_factory):
    """Call it to start additional servers: server_factory(extra_args=[...])."""
    f = _Factory(server_kind, server_binary, tmp_path_factory)
    yield f
    f.finish_all()


@pytest.fixture
def server(request, server_kind, server_binary, tmp_path_factory):
    """A fresh server for this test (function scope)."""
    extra = []
    for m in request.node.iter_markers("server_args"):
        extra = list(m.args) + extra
    f = _Factory(server_kind, server_binary, tmp_path_factory)
    f(extra_args=extra)
    yield f.handles[0]
    f.finish_all()


@pytest.fixture(scope="module")
def module_server(server_kind, server_binary, tmp_path_factory):
    """One server shared by a module's tests (cheaper; tests must clean up)."""
    f = _Factory(server_kind, server_binary, tmp_path_factory)
    f()
    yield f.handles[0]
    f.finish_all()


@pytest.fixture
def flushed_server(module_server):
    """module_server, emptied with FLUSHALL; fails the test if it crashed."""
    if not module_server.is_alive():
        pytest.fail("shared server is not running (crashed in an earlier test?)\n"
                    + module_server.log_tail(), pytrace=False)
    c = module_server.client()
    c.flushall()
    c.close()
    yield module_server
    module_server.close_clients()
    if not module_server.is_alive():
        pytest.fail("server died during this test\n" + module_server.log_tail(),
                    pytrace=False)


@pytest.fixture
def r(flushed_server):
    """A redis-py client (bytes replies) on the shared, flushed server."""
    return flushed_server.client()


@pytest.fixture
def c(flushed_server):
    """A RESP2 connection of the suite's own client (resp3.py) to the shared server."""
    conn = flushed_server.resp()
    yield conn
    conn.close()


@pytest.fixture
def c3(flushed_server):
    """The same after HELLO 3."""
    conn = flushed_server.resp(3)
    yield conn
    conn.close()
