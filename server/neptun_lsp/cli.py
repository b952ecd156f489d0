"""Command line: argument parsing only; each subcommand hands over to its module."""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from neptun_lsp import __version__

SUBCOMMANDS = ("serve", "send", "login", "logout", "local-server", "demo")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be a positive number")
    return value


def _add_serve(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = sub.add_parser("serve", help="speak LSP on stdin/stdout (the default)")
    serve.add_argument("--tcp", metavar="HOST:PORT", help="listen on TCP instead (debugging)")
    # Many LSP clients (vscode-languageclient among them) add --stdio: it is the default anyway.
    serve.add_argument("--stdio", action="store_true", help="speak LSP on stdin/stdout (default)")
    serve.add_argument(
        "--log-level", default="WARNING", choices=["DEBUG", "INFO", "WARNING", "ERROR"]
    )
    serve.add_argument("--log-file", type=Path, help="also log to this file")


def _add_local_server(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    local = sub.add_parser("local-server", help="run the local Neptun-compatible server")
    local.add_argument("--host", default="127.0.0.1")
    local.add_argument("--port", type=int, default=42124, help="0 picks a free port")
    local.add_argument("--db", type=Path, help="SQLite file (default: a new temporary one)")
    local.add_argument("--max-body-bytes", type=_positive_int, default=4_500_000)
    local.add_argument(
        "--seed-demo", action="store_true", help="create the demo user, a chat and a message"
    )


def _add_account(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    send = sub.add_parser("send", help="send files to a chat (the same pipeline as the editor)")
    send.add_argument("files", nargs="+", type=Path, metavar="FILE")
    send.add_argument("--chat", type=_positive_int, help="chat id")
    send.add_argument("--message", type=_positive_int, help="message id in that chat")
    send.add_argument("--language", help="language id for every file (default: from the name)")

    login = sub.add_parser("login", help="sign in and store the session (keyring or 0600 file)")
    login.add_argument("--base-url", help="Neptun server (default: the neptun.baseUrl setting)")
    login.add_argument("--email")
    login.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input instead of prompting",
    )
    login.add_argument(
        "--from-cli-config",
        metavar="FILE",
        help="sign in with the JSON of Neptun's CLI page (GitHub accounts); - reads standard input",
    )

    logout = sub.add_parser("logout", help="sign out and forget the stored session")
    logout.add_argument("--base-url")

    sub.add_parser("demo", help="run the end-to-end demo against a local server")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="neptun-lsp",
        description="Send the code in your editor to a Neptun AI chat. "
        "With no subcommand, speaks LSP on stdin/stdout.",
    )
    parser.add_argument("--version", action="version", version=f"neptun-lsp {__version__}")
    sub = parser.add_subparsers(dest="command")
    _add_serve(sub)
    _add_local_server(sub)
    _add_account(sub)
    return parser


def _local_server(args: argparse.Namespace) -> int:
    from neptun_lsp.local.serve import run

    db: Path = args.db or Path(tempfile.mkdtemp(prefix="neptun-local-")) / "neptun.sqlite3"
    return run(
        host=args.host,
        port=args.port,
        db=db,
        max_body_bytes=args.max_body_bytes,
        seed=args.seed_demo,
    )


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    # No subcommand (or only serve options) means `serve`: editors run the bare command.
    if not arguments or (
        arguments[0].startswith("-") and arguments[0] not in ("-h", "--help", "--version")
    ):
        arguments.insert(0, "serve")
    args = build_parser().parse_args(arguments)
    if args.command == "local-server":
        return _local_server(args)
    if args.command in ("send", "login", "logout"):
        from neptun_lsp import terminal

        if args.command == "send":
            return terminal.run_send(args.files, args.chat, args.message, args.language)
        if args.command == "login":
            return terminal.run_login(
                args.base_url, args.email, args.password_stdin, args.from_cli_config
            )
        return terminal.run_logout(args.base_url)
    if args.command == "demo":
        from neptun_lsp.demo import run

        return run()
    from neptun_lsp.lsp.main import serve

    return serve(tcp=args.tcp, log_level=args.log_level, log_file=args.log_file)
