"""Initialisation and configuration changes: when settings are (re)read."""

from __future__ import annotations

from lsprotocol import types

from neptun_lsp.lsp import commands
from neptun_lsp.lsp.server import NeptunLanguageServer


def register(server: NeptunLanguageServer) -> None:
    @server.feature(types.INITIALIZE)
    def on_initialize(params: types.InitializeParams) -> None:
        # Clients without workspace/configuration (some Emacs/Sublime set-ups) send settings
        # here; pulled settings replace them once the session is up.
        server.take_initialization_options(params.initialization_options)

    @server.feature(types.INITIALIZED)
    async def on_initialized(params: types.InitializedParams) -> None:
        server.background(commands.warm_up())
        await server.reload_settings()

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def on_configuration_changed(params: types.DidChangeConfigurationParams) -> None:
        await server.reload_settings(pushed=params.settings)
