"""The language server and its wiring: state shared by the features, and nothing else."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.exceptions import FeatureRequestError
from pygls.lsp.server import LanguageServer

if TYPE_CHECKING:
    from pygls.server import ServerErrors

from neptun_lsp import __version__, settings
from neptun_lsp.lsp import feedback
from neptun_lsp.lsp.protocol import NeptunProtocol
from neptun_lsp.targets import TargetMemory

if TYPE_CHECKING:
    # httpx and pydantic cost start-up time: they load with the first command, not before
    # `initialize` is answered (see commands.py).
    from neptun_lsp.api.client import NeptunClient
    from neptun_lsp.credentials import Credentials

log = logging.getLogger(__name__)


class NeptunLanguageServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            name="neptun-lsp",
            version=__version__,
            protocol_cls=NeptunProtocol,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
        )
        self.settings = settings.Settings()
        self.memory = TargetMemory()
        self._lsp_settings: Any = None
        self._reported_problems: tuple[str, ...] = ()
        self._client: NeptunClient | None = None
        self._client_key: tuple[str, str, int] | None = None
        self._settings_pulled: asyncio.Event | None = None
        self.chat_names: dict[int, str] = {}
        self._background: set[asyncio.Task[None]] = set()

    # ---- settings -------------------------------------------------------------------------

    def _supports_configuration(self) -> bool:
        workspace = self.client_capabilities.workspace
        return bool(workspace and workspace.configuration)

    def _pulled(self) -> asyncio.Event:
        if self._settings_pulled is None:
            self._settings_pulled = asyncio.Event()
        return self._settings_pulled

    async def settings_ready(self) -> None:
        """Commands wait for the first pull of settings: a send right after `initialized`
        must not race the workspace/configuration answer and use the wrong target."""
        if not self._pulled().is_set():
            await asyncio.wait(
                [asyncio.ensure_future(self._pulled().wait())],
                timeout=feedback.CLIENT_REQUEST_TIMEOUT,
            )

    async def reload_settings(self, pushed: Any = None) -> None:
        """Pull `neptun` via workspace/configuration where supported, else take what the
        client pushed (didChangeConfiguration) or gave at initialize."""
        try:
            await self._reload_settings(pushed)
        finally:
            self._pulled().set()

    async def _reload_settings(self, pushed: Any) -> None:
        if self._supports_configuration():
            answer = await feedback.ask_client(
                self.workspace_configuration_async(
                    types.ConfigurationParams(items=[types.ConfigurationItem(section="neptun")])
                ),
                "workspace/configuration",
            )
            if isinstance(answer, (list, tuple)) and answer and answer[0] is not None:
                self._lsp_settings = answer[0]
        if pushed is not None:
            self._lsp_settings = settings.lsp_section(pushed) or self._lsp_settings
        self.settings = settings.load(self._lsp_settings)
        self._report_problems()

    def take_initialization_options(self, options: Any) -> None:
        self._lsp_settings = settings.lsp_section(options) if options else None
        self.settings = settings.load(self._lsp_settings)

    def _report_problems(self) -> None:
        problems = self.settings.problems
        if problems and problems != self._reported_problems:
            feedback.warning(self, "Neptun settings: " + "; ".join(problems))
        self._reported_problems = problems

    # ---- the API client -------------------------------------------------------------------

    def origin(self) -> str:
        from neptun_lsp.api.client import normalise_base_url

        return str(normalise_base_url(self.settings.base_url)).rstrip("/")

    def credentials(self) -> Credentials:
        from neptun_lsp import credentials

        return credentials.load(self.origin())

    async def api(self) -> NeptunClient:
        """A client for the current settings and credentials; reused while they hold, so
        connections are kept alive between sends. Credentials are re-read every time: a
        `neptun-lsp login` in a terminal takes effect without restarting the editor."""
        found = self.credentials()
        session = found.session.get_secret_value() if found.session else ""
        await self.settings_ready()
        key = (self.settings.base_url, session, self.settings.user_id or found.user_id or 0)
        if self._client is None or key != self._client_key:
            from neptun_lsp.sender import open_client

            fresh = open_client(self.settings, found)
            if self._client is not None:
                await self._client.aclose()
            self._client, self._client_key = fresh, key
        return self._client

    def background(self, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` after the current request has answered (e.g. an optional prompt);
        its failure is logged, never raised into a request."""
        task = asyncio.ensure_future(work)
        self._background.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._background.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("background work failed: %s", task.exception())

    def workspace_key(self) -> str | None:
        root: str | None = self.workspace.root_uri
        if root:
            return root
        folders = list(self.workspace.folders.values())
        return str(folders[0].uri) if folders else None

    def report_server_error(self, error: Exception, source: ServerErrors) -> None:
        # A failed request already answers with its JSON-RPC error (and the user was told);
        # anything else is unexpected: log it and tell the user once, redacted.
        if source is FeatureRequestError:
            log.debug("request failed: %s", error)
            return
        log.error("internal error: %s", error)
        feedback.error(self, f"neptun-lsp internal error: {error}. See the server log.")


def create_server() -> NeptunLanguageServer:
    from neptun_lsp.lsp import actions, commands, lifecycle

    server = NeptunLanguageServer()
    lifecycle.register(server)
    actions.register(server)
    commands.register(server)
    return server
