"""SQLite persistence of the local Neptun-compatible server.

One connection in WAL mode, guarded by a lock (the server is small; the lock keeps a batch of
files one transaction without thread juggling). Passwords are stored as scrypt hashes and
sessions as SHA-256 digests of random tokens, so a copied database file signs nobody in.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

Row = dict[str, Any]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS neptun_user (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    primary_email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS neptun_session (
    token_sha256 TEXT PRIMARY KEY,
    neptun_user_id INTEGER NOT NULL REFERENCES neptun_user(id),
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS chat_conversation (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    neptun_user_id INTEGER NOT NULL REFERENCES neptun_user(id),
    model TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS chat_conversation_message (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_conversation_id INTEGER NOT NULL REFERENCES chat_conversation(id),
    neptun_user_id INTEGER NOT NULL REFERENCES neptun_user(id),
    actor TEXT NOT NULL,
    message TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS chat_conversation_file (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_conversation_id INTEGER NOT NULL REFERENCES chat_conversation(id),
    chat_conversation_message_id INTEGER NOT NULL REFERENCES chat_conversation_message(id),
    neptun_user_id INTEGER NOT NULL REFERENCES neptun_user(id),
    title TEXT,
    text TEXT NOT NULL,
    language TEXT NOT NULL,
    extension TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
"""

_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


class AlreadyExists(Exception):
    pass


@dataclass(frozen=True)
class NewFile:
    text: str
    title: str | None
    language: str
    extension: str


def utc_now() -> str:
    """ISO 8601 UTC with milliseconds, as the upstream service writes timestamps."""
    now = datetime.now(timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def password_matches(password: str, stored: str) -> bool:
    try:
        scheme, salt_hex, digest_hex = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    digest = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt_hex), **_SCRYPT)
    return hmac.compare_digest(digest.hex(), digest_hex)


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Store:
    def __init__(self, path: Path | str) -> None:
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _one(self, sql: str, params: Sequence[Any]) -> Row | None:
        with self._lock:
            row = self._db.execute(sql, params).fetchone()
        return dict(row) if row else None

    def _all(self, sql: str, params: Sequence[Any]) -> list[Row]:
        with self._lock:
            return [dict(row) for row in self._db.execute(sql, params).fetchall()]

    # ---- users and sessions ---------------------------------------------------------------

    def create_user(self, email: str, password: str) -> Row:
        password_hash = hash_password(password)  # slow on purpose: outside the lock
        try:
            with self._transaction() as db:
                cursor = db.execute(
                    "INSERT INTO neptun_user (primary_email, password_hash, created_at) "
                    "VALUES (?, ?, ?)",
                    (email.lower(), password_hash, utc_now()),
                )
        except sqlite3.IntegrityError:
            raise AlreadyExists(email) from None
        return {"id": cursor.lastrowid, "primary_email": email.lower()}

    def user_by_credentials(self, email: str, password: str) -> Row | None:
        row = self._one(
            "SELECT id, primary_email, password_hash FROM neptun_user WHERE primary_email = ?",
            (email.lower(),),
        )
        if row is None or not password_matches(password, row.pop("password_hash")):
            return None
        return row

    def user_email(self, user_id: int) -> str | None:
        row = self._one("SELECT primary_email FROM neptun_user WHERE id = ?", (user_id,))
        return None if row is None else str(row["primary_email"])

    def create_session(self, user_id: int) -> str:
        token = secrets.token_urlsafe(32)
        with self._transaction() as db:
            db.execute(
                "INSERT INTO neptun_session (token_sha256, neptun_user_id, created_at) "
                "VALUES (?, ?, ?)",
                (_token_digest(token), user_id, utc_now()),
            )
        return token

    def user_for_session(self, token: str) -> int | None:
        row = self._one(
            "SELECT neptun_user_id FROM neptun_session WHERE token_sha256 = ?",
            (_token_digest(token),),
        )
        return None if row is None else int(row["neptun_user_id"])

    def revoke_session(self, token: str) -> bool:
        with self._transaction() as db:
            cursor = db.execute(
                "DELETE FROM neptun_session WHERE token_sha256 = ?", (_token_digest(token),)
            )
        return cursor.rowcount > 0

    # ---- chats and messages ---------------------------------------------------------------

    def list_chats(self, user_id: int) -> list[Row]:
        return self._all(
            "SELECT * FROM chat_conversation WHERE neptun_user_id = ? "
            "ORDER BY updated_at DESC, name DESC, id DESC",
            (user_id,),
        )

    def chat(self, user_id: int, chat_id: int) -> Row | None:
        return self._one(
            "SELECT * FROM chat_conversation WHERE id = ? AND neptun_user_id = ?",
            (chat_id, user_id),
        )

    def create_chat(self, user_id: int, name: str, model: str) -> Row:
        now = utc_now()
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO chat_conversation (neptun_user_id, model, name, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, ?)",
                (user_id, model, name, now, now),
            )
            chat_id = cursor.lastrowid
        return {
            "id": chat_id,
            "neptun_user_id": user_id,
            "model": model,
            "name": name,
            "created_at": now,
            "updated_at": now,
        }

    def list_messages(self, chat_id: int) -> list[Row]:
        return self._all(
            "SELECT * FROM chat_conversation_message WHERE chat_conversation_id = ? "
            "ORDER BY updated_at, id",
            (chat_id,),
        )

    def message(self, user_id: int, message_id: int) -> Row | None:
        return self._one(
            "SELECT * FROM chat_conversation_message WHERE id = ? AND neptun_user_id = ?",
            (message_id, user_id),
        )

    def create_messages(
        self, user_id: int, chat_id: int, messages: Sequence[tuple[str, str]]
    ) -> list[Row]:
        """Insert (actor, text) pairs in order, in one transaction; bumps the chat."""
        now = utc_now()
        created: list[Row] = []
        with self._transaction() as db:
            for actor, text in messages:
                cursor = db.execute(
                    "INSERT INTO chat_conversation_message (chat_conversation_id, "
                    "neptun_user_id, actor, message, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (chat_id, user_id, actor, text, now, now),
                )
                created.append(
                    {
                        "id": cursor.lastrowid,
                        "chat_conversation_id": chat_id,
                        "neptun_user_id": user_id,
                        "actor": actor,
                        "message": text,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
            db.execute("UPDATE chat_conversation SET updated_at = ? WHERE id = ?", (now, chat_id))
        return created

    # ---- files ----------------------------------------------------------------------------

    def create_files(
        self, user_id: int, chat_id: int, message_id: int, files: Sequence[NewFile]
    ) -> list[Row]:
        """All files or none: one transaction for the whole batch."""
        now = utc_now()
        ids: list[int] = []
        with self._transaction() as db:
            for file in files:
                cursor = db.execute(
                    "INSERT INTO chat_conversation_file (chat_conversation_id, "
                    "chat_conversation_message_id, neptun_user_id, title, text, language, "
                    "extension, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        chat_id,
                        message_id,
                        user_id,
                        file.title,
                        file.text,
                        file.language,
                        file.extension,
                        now,
                        now,
                    ),
                )
                assert cursor.lastrowid is not None
                ids.append(cursor.lastrowid)
            db.execute("UPDATE chat_conversation SET updated_at = ? WHERE id = ?", (now, chat_id))
        return [
            {
                "id": file_id,
                "chat_conversation_id": chat_id,
                "chat_conversation_message_id": message_id,
                "neptun_user_id": user_id,
                "title": file.title,
                "text": file.text,
                "language": file.language,
                "extension": file.extension,
                "created_at": now,
                "updated_at": now,
            }
            for file_id, file in zip(ids, files, strict=False)
        ]

    def list_files(self, chat_id: int) -> list[Row]:
        return self._all(
            "SELECT * FROM chat_conversation_file WHERE chat_conversation_id = ? ORDER BY id",
            (chat_id,),
        )
