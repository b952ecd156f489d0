"""Run a command between the test client and the server, recording every byte both ways.

    python lsp_tee.py RECORD_DIR -- COMMAND...

RECORD_DIR gets to_server.bin, from_server.bin and stderr.log: the whole LSP session and all
server logging, for tests that must prove a secret appears nowhere.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import BinaryIO


def pump(source: int, sinks: list[BinaryIO], close: BinaryIO | None = None) -> None:
    # The record is written before the bytes are passed on, so that a test which has seen an
    # answer can always find it in the record.
    while chunk := os.read(source, 65536):
        for sink in sinks:
            sink.write(chunk)
            sink.flush()
    if close is not None:
        close.close()


def main() -> int:
    record = Path(sys.argv[1])
    command = sys.argv[sys.argv.index("--") + 1 :]
    record.mkdir(parents=True, exist_ok=True)
    server = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert server.stdin
    assert server.stdout
    assert server.stderr
    with (
        (record / "to_server.bin").open("ab") as to_log,
        (record / "from_server.bin").open("ab") as from_log,
        (record / "stderr.log").open("ab") as err_log,
    ):
        threads = [
            threading.Thread(
                target=pump,
                args=(sys.stdin.fileno(), [to_log, server.stdin], server.stdin),
                daemon=True,
            ),
            threading.Thread(
                target=pump, args=(server.stdout.fileno(), [from_log, sys.stdout.buffer])
            ),
            threading.Thread(
                target=pump, args=(server.stderr.fileno(), [err_log, sys.stderr.buffer])
            ),
        ]
        for thread in threads:
            thread.start()
        code = server.wait()
        for thread in threads[1:]:
            thread.join()
    return code


if __name__ == "__main__":
    sys.exit(main())
