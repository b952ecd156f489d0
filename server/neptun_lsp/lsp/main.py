"""Start the language server: logging first (stderr only, redacted), then stdio or TCP."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from neptun_lsp.redaction import RedactingFilter

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class _ExpectedFailures(logging.Filter):
    """pygls logs a traceback for every request answered with an error. Ours are expected
    (bad arguments, a 401...) and already told to the user: keep the log for real faults."""

    def filter(self, record: logging.LogRecord) -> bool:
        from pygls.exceptions import JsonRpcException

        return not (record.exc_info and isinstance(record.exc_info[1], JsonRpcException))


def configure_logging(level: str, log_file: Path | None) -> None:
    """stdout carries LSP frames only. pygls logs whole messages at INFO (initialize params,
    outgoing bodies): keep it at WARNING unless DEBUG was asked for explicitly."""
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(log_file, encoding="utf-8"))
    for handler in handlers:
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        handler.addFilter(RedactingFilter())
    logging.basicConfig(level=level, handlers=handlers, force=True)
    if level != "DEBUG":
        logging.getLogger("pygls").setLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("pygls.protocol.json_rpc").addFilter(_ExpectedFailures())


def serve(*, tcp: str | None, log_level: str, log_file: Path | None) -> int:
    configure_logging(log_level, log_file)
    from neptun_lsp.lsp.server import create_server

    server = create_server()
    if tcp:
        host, _, port = tcp.rpartition(":")
        server.start_tcp(host or "127.0.0.1", int(port))
    else:
        server.start_io()
    return 0
