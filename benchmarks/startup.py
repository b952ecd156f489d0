"""Start-up cost, as ratios to a baseline measured in the same run (never wall-clock limits).

    .venv/bin/python -m benchmarks.startup [--runs N]

Baselines: a bare `python -c pass`, and a pygls server with no features (the floor for any
pygls server: lsprotocol's types dominate). Measured: the local server until it prints its
ready line (`local-server --seed-demo --port 0`), and `neptun-lsp` until it answers
`initialize` (its httpx/pydantic imports are deferred to the first command).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from neptun_lsp.local.serve import spawn

INITIALIZE = json.dumps(
    {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {"capabilities": {}, "processId": None},
    }
).encode()


def baseline() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.perf_counter() - start


def local_server(workdir: Path) -> float:
    start = time.perf_counter()
    process, _ = spawn(workdir / f"{time.monotonic_ns()}.sqlite3")
    elapsed = time.perf_counter() - start
    process.terminate()
    process.wait()
    return elapsed


BARE_PYGLS = "from pygls.lsp.server import LanguageServer; LanguageServer('bare', '0').start_io()"


def language_server(command: list[str]) -> float:
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert process.stdin is not None
    assert process.stdout is not None
    process.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(INITIALIZE), INITIALIZE))
    process.stdin.flush()
    process.stdout.readline()  # the answer's header
    elapsed = time.perf_counter() - start
    process.kill()
    process.wait()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as temporary:
        workdir = Path(temporary)
        figures = {
            "python -c pass (baseline)": [baseline() for _ in range(runs)],
            "local-server --seed-demo ready": [local_server(workdir) for _ in range(runs)],
            "bare pygls server answers initialize": [
                language_server([sys.executable, "-c", BARE_PYGLS]) for _ in range(runs)
            ],
            "neptun-lsp answers initialize": [
                language_server([sys.executable, "-m", "neptun_lsp"]) for _ in range(runs)
            ],
        }
    base = statistics.median(figures["python -c pass (baseline)"])
    pygls = statistics.median(figures["bare pygls server answers initialize"])
    for name, values in figures.items():
        median = statistics.median(values)
        print(
            f"{name:38} median {median * 1000:7.1f} ms = {median / base:5.1f} x python, "
            f"{median / pygls:4.2f} x bare pygls"
        )


if __name__ == "__main__":
    main()
