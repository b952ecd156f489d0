"""Defence in depth for secrets: every session value we hold is registered here, and the log
handlers we install pass records through `RedactingFilter`, so a secret that slipped into a
log message by some path nobody foresaw is still masked before it is written."""

from __future__ import annotations

import logging

MASK = "********"
_secrets: set[str] = set()


def register(secret: str) -> None:
    # Very short values would mask ordinary words; real session values are long.
    if len(secret) >= 8:
        _secrets.add(secret)


def redact(text: str) -> str:
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    return text


class RedactingFilter(logging.Filter):
    """Attach to handlers: formats the record's message once, masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _secrets:
            message = redact(record.getMessage())
            record.msg, record.args = message, None
            if record.exc_text:
                record.exc_text = redact(record.exc_text)
        return True
