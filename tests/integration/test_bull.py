"""The bull job queue (npm `bull` 4, on ioredis) against the server.

bull keeps every state change in Lua scripts (addJob, moveToActive,
moveToFinished, retryJob, updateDelaySet, pause, cleanJobsInSet, ...), waits
for jobs in BRPOPLPUSH, and sends its events over pub/sub: issue 9's check
that scripts written for Redis run unchanged. The checks themselves are in
node/bull_test.js (one line per check); this runs it with the machine's
Node.js. scripts/install-deps.sh installs the pinned packages (`npm ci`).
"""

import shutil
import subprocess
from pathlib import Path

import pytest

NODE_DIR = Path(__file__).resolve().parent / "node"


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_bull(server):
    if not (NODE_DIR / "node_modules" / "bull").is_dir():
        pytest.fail(f"bull is not installed in {NODE_DIR}: run scripts/install-deps.sh "
                    f"(npm ci)", pytrace=False)
    p = subprocess.run(["node", str(NODE_DIR / "bull_test.js"), "--port", str(server.port)],
                       capture_output=True, text=True, timeout=240)
    out = p.stdout + p.stderr
    lines = p.stdout.splitlines()
    assert p.returncode == 0, out
    assert [l for l in lines if l.startswith("not ok")] == [], out
    assert lines and lines[0].startswith("1.."), out
    planned = int(lines[0][3:])
    assert planned >= 9, out
    assert len([l for l in lines if l.startswith("ok - ")]) == planned, out
    assert lines[-1] == "all passed", out
