"""A minimal read-only web page at the web app's root, so that "Open chat" (the default
`neptun.chatUrl`) leads somewhere in the demo. Signed in (a valid session cookie in the
browser), it lists your chats with their messages and attached files; otherwise it says how
to sign in. Nothing on it changes data."""

from __future__ import annotations

from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse

from neptun_lsp.local.store import Store

SESSION_COOKIE = "neptun-session"
_STYLE = (
    "body{font:15px system-ui,sans-serif;margin:2rem;max-width:60rem}"
    "pre{background:#f4f4f4;padding:.6rem;overflow:auto}h2{margin-top:2rem}"
)


def _document(title: str, body: str) -> HTMLResponse:
    return HTMLResponse(
        f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(title)}"
        f"</title><style>{_STYLE}</style></head><body>{body}</body></html>"
    )


def _chat_section(store: Store, chat: dict[str, object]) -> str:
    chat_id = int(str(chat["id"]))
    parts = [
        f"<h2 id='chat-{chat_id}'>{escape(str(chat['name']))} <small>(chat {chat_id})</small></h2>"
    ]
    files_by_message: dict[int, list[dict[str, object]]] = {}
    for file in store.list_files(chat_id):
        message_id = int(str(file["chat_conversation_message_id"]))
        files_by_message.setdefault(message_id, []).append(file)
    for message in store.list_messages(chat_id):
        parts.append(
            f"<p><b>{escape(str(message['actor']))}</b> (message {message['id']}): "
            f"{escape(str(message['message']))}</p>"
        )
        for file in files_by_message.get(int(str(message["id"])), []):
            parts.append(
                f"<p>📎 {escape(str(file['title']))} ({escape(str(file['language']))})"
                f"</p><pre>{escape(str(file['text']))}</pre>"
            )
    return "".join(parts)


async def home(store: Store, request: Request) -> HTMLResponse:
    token = request.cookies.get(SESSION_COOKIE)
    user_id = store.user_for_session(token) if token else None
    if user_id is None:
        return _document(
            "Neptun (local)",
            "<h1>Neptun (local server)</h1><p>Sign in with "
            "<code>POST /api/auth/login</code> to see your chats here.</p>",
        )
    chats = store.list_chats(user_id)
    sections = "".join(_chat_section(store, chat) for chat in chats) or "<p>No chats yet.</p>"
    return _document("Neptun (local)", f"<h1>Your Neptun chats</h1>{sections}")
