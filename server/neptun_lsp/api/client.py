"""NeptunClient: one method per endpoint over one `httpx.AsyncClient`.

Answers are parsed into `api.models`, failures raised as `api.errors`. The session cookie is
sent as an explicit `Cookie` header on requests to the configured origin only: redirects are
never followed (so it can never travel to another host), httpx's own cookie jar is disabled, and
the value lives in a `SecretStr` so that no repr, log line or exception text shows it.
"""

from __future__ import annotations

import ipaddress
import json
import logging
from collections.abc import Callable, Sequence
from http.cookiejar import DefaultCookiePolicy
from http.cookies import CookieError, SimpleCookie
from types import TracebackType
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, SecretStr, ValidationError

from neptun_lsp import redaction
from neptun_lsp.api import errors
from neptun_lsp.api.models import (
    Chat,
    ChatFile,
    ChatMessage,
    ChatsResponse,
    CliConfiguration,
    CreateChatRequest,
    CreateChatResponse,
    CreateMessageRequest,
    CreateMessageResponse,
    Credentials,
    FileInput,
    LoginResponse,
    MessagesResponse,
    MultipleFilesRequest,
    MultipleFilesResponse,
    SingleFileResponse,
    UserInfo,
)

log = logging.getLogger(__name__)
# httpcore's DEBUG traces print raw response headers, Set-Cookie (the session) included.
# They are never worth that: keep that logger at INFO whatever the root level is.
logging.getLogger("httpcore").setLevel(logging.INFO)

SESSION_COOKIE = "neptun-session"
DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=30.0, write=30.0, pool=5.0)
USER_AGENT = "neptun-lsp"

_Model = TypeVar("_Model", bound=BaseModel)
_T = TypeVar("_T")


def is_loopback_host(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain") or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def normalise_base_url(base_url: str) -> httpx.URL:
    """The server's origin (no trailing `/api`), refusing plain http to any non-loopback host.

    Users paste either the web app's root or the API root (the CLI document's
    `neptun_api_server_host` ends in `/api`): both are accepted.
    """
    url = httpx.URL(base_url.strip())
    if url.scheme not in ("http", "https") or not url.host:
        raise errors.InsecureBaseUrl(
            f"The Neptun base URL {base_url!r} is not an http(s) URL.",
            hint="Set `neptun.baseUrl` to e.g. https://neptun-webui.vercel.app.",
        )
    if url.scheme == "http" and not is_loopback_host(url.host):
        raise errors.InsecureBaseUrl()
    path = url.path.rstrip("/")
    if path.endswith("/api"):
        path = path[: -len("/api")]
    return url.copy_with(path=path or "", query=None, fragment=None)


class LoginResult(BaseModel):
    user: UserInfo
    session: SecretStr


class NeptunClient:
    """An async client for one Neptun server and (optionally) one signed-in user."""

    def __init__(
        self,
        base_url: str,
        *,
        session: SecretStr | None = None,
        user_id: int | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
        on_session_refreshed: Callable[[SecretStr], None] | None = None,
    ) -> None:
        self.base_url = normalise_base_url(base_url)
        self.user_id = user_id
        self._session = session
        if session is not None:
            redaction.register(session.get_secret_value())
        self._on_session_refreshed = on_session_refreshed
        self._http = httpx.AsyncClient(
            base_url=str(self.base_url),
            timeout=timeout,
            follow_redirects=False,
            transport=transport,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
        )
        # We manage the one cookie we need by hand; the jar must never add or keep any.
        self._http.cookies.jar.set_policy(DefaultCookiePolicy(allowed_domains=[]))

    async def __aenter__(self) -> NeptunClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    @property
    def session(self) -> SecretStr | None:
        return self._session

    @property
    def signed_in(self) -> bool:
        return self._session is not None and self.user_id is not None

    # ---- transport ------------------------------------------------------------------------

    async def _request(
        self, method: str, path: str, *, body: Any = None, authenticated: bool = True
    ) -> httpx.Response:
        headers: dict[str, str] = {}
        if authenticated:
            if self._session is None:
                raise errors.NotSignedIn()
            headers["Cookie"] = f"{SESSION_COOKIE}={self._session.get_secret_value()}"
        content: bytes | None = None
        if body is not None:
            content = json.dumps(body, ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json"
        try:
            response = await self._http.request(method, path, content=content, headers=headers)
        except httpx.TimeoutException as exc:
            sent = not isinstance(exc, (httpx.ConnectTimeout, httpx.PoolTimeout))
            raise errors.Unreachable(
                f"The Neptun server at {self.base_url} did not answer in time.",
                maybe_delivered=sent and method != "GET",
            ) from None
        except httpx.TransportError:
            raise errors.Unreachable(
                f"Could not connect to the Neptun server at {self.base_url}."
            ) from None
        log.debug("%s %s -> %d", method, path, response.status_code)
        self._take_refreshed_session(response)
        if response.is_redirect:
            raise self._redirect_error(response)
        if not response.is_success:
            raise errors.error_for_status(response.status_code, response.headers, response.content)
        return response

    def _take_refreshed_session(self, response: httpx.Response) -> None:
        """The deployed service slides the session: keep the newest value it hands us."""
        fresh = _session_from_headers(response.headers.get_list("set-cookie"))
        if not fresh or (self._session and fresh == self._session.get_secret_value()):
            return
        if self._session is None:
            return  # only login sets a session; see login()
        redaction.register(fresh)
        self._session = SecretStr(fresh)
        if self._on_session_refreshed:
            self._on_session_refreshed(self._session)

    def _redirect_error(self, response: httpx.Response) -> errors.NeptunError:
        location = response.headers.get("location", "")
        if "log-in" in location or "login" in location:
            return errors.Unauthorized(status=response.status_code)
        return errors.UnexpectedAnswer(
            f"The Neptun server redirected the request ({response.status_code}).",
            status=response.status_code,
        )

    @staticmethod
    def _parse(response: httpx.Response, model: type[_Model]) -> _Model:
        try:
            return model.model_validate_json(response.content)
        except ValidationError:
            raise errors.UnexpectedAnswer(status=response.status_code) from None

    def _user_path(self, suffix: str) -> str:
        if self.user_id is None or self._session is None:
            raise errors.NotSignedIn()
        return f"/api/users/{self.user_id}{suffix}"

    # ---- auth -----------------------------------------------------------------------------

    async def sign_up(self, email: str, password: str) -> LoginResult:
        return await self._sign_in("/api/auth/sign-up", email, password)

    async def login(self, email: str, password: str) -> LoginResult:
        """Sign in with email and password; the client then acts as that user."""
        return await self._sign_in("/api/auth/login", email, password)

    async def _sign_in(self, path: str, email: str, password: str) -> LoginResult:
        body = Credentials(email=email, password=password).model_dump()
        # Never send a cookie here: the deployed service answers 403 to a signed-in login.
        response = await self._request("POST", path, body=body, authenticated=False)
        answer = self._parse(response, LoginResponse)
        session = _session_from_headers(response.headers.get_list("set-cookie"))
        if not session:
            raise errors.UnexpectedAnswer("The Neptun server signed you in but sent no session.")
        redaction.register(session)
        self._session = SecretStr(session)
        self.user_id = answer.user.id
        return LoginResult(user=answer.user, session=self._session)

    async def logout(self) -> bool:
        response = await self._request("POST", "/api/auth/logout")
        try:
            return bool(response.json())
        except ValueError:
            return True

    async def check_session(self) -> bool:
        """True when the session is valid; False on 401. Other failures raise."""
        try:
            await self._request("HEAD", "/api/auth/check")
        except errors.Unauthorized:
            return False
        return True

    async def cli_config(self) -> CliConfiguration:
        return self._parse(await self._request("GET", self._user_path("/cli")), CliConfiguration)

    # ---- chats and messages ---------------------------------------------------------------

    async def list_chats(self) -> list[Chat]:
        answer = self._parse(await self._request("GET", self._user_path("/chats")), ChatsResponse)
        if answer.chats is None:
            raise errors.EmptyAnswer("The Neptun server could not list your chats.")
        return answer.chats

    async def create_chat(self, name: str, model: str) -> Chat:
        body = CreateChatRequest(name=name, model=model).model_dump()
        response = await self._request("POST", self._user_path("/chats"), body=body)
        return _single(self._parse(response, CreateChatResponse).chat, "chat")

    async def list_messages(self, chat_id: int) -> list[ChatMessage]:
        path = self._user_path(f"/chats/{chat_id}/messages")
        answer = self._parse(await self._request("GET", path), MessagesResponse)
        if answer.chat_messages is None:
            raise errors.EmptyAnswer("The Neptun server could not list the chat's messages.")
        return answer.chat_messages

    async def create_message(self, chat_id: int, message: str) -> ChatMessage:
        body = CreateMessageRequest(message=message, actor="user").model_dump()
        path = self._user_path(f"/chats/{chat_id}/messages")
        response = await self._request("POST", path, body=body)
        return _single(self._parse(response, CreateMessageResponse).chat_message, "message")

    # ---- files ----------------------------------------------------------------------------

    async def create_files(
        self, chat_id: int, message_id: int, files: Sequence[FileInput]
    ) -> list[ChatFile]:
        """Attach files to a message: the single form for one file, the batch form for more.

        Raises EmptyAnswer when the server answers 200 but created fewer files than sent.
        """
        if not files:
            raise ValueError("create_files needs at least one file")
        path = self._user_path(f"/chats/{chat_id}/files/{message_id}")
        created: list[ChatFile] | None
        if len(files) == 1:
            response = await self._request("POST", path, body=files[0].model_dump())
            created = self._parse(response, SingleFileResponse).chat_file
        else:
            body = MultipleFilesRequest(files=list(files)).model_dump()
            response = await self._request("POST", path, body=body)
            created = self._parse(response, MultipleFilesResponse).chat_files
        if not created or len(created) < len(files):
            raise errors.EmptyAnswer()
        return created

    async def list_files(self, chat_id: int) -> list[ChatFile]:
        path = self._user_path(f"/chats/{chat_id}/files")
        answer = self._parse(await self._request("GET", path), MultipleFilesResponse)
        return answer.chat_files or []


def _single(items: list[_T] | None, what: str) -> _T:
    if not items:
        raise errors.EmptyAnswer(f"The Neptun server did not create the {what}.")
    return items[0]


def _session_from_headers(set_cookie_headers: list[str]) -> str | None:
    """The last non-empty `neptun-session` value among Set-Cookie headers, if any."""
    found: str | None = None
    for header in set_cookie_headers:
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(header)
        except CookieError:
            continue
        morsel = jar.get(SESSION_COOKIE)
        if morsel is not None and morsel.value:
            found = morsel.value
    return found
