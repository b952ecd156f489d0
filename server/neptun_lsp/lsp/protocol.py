"""pygls's protocol with one repair.

pygls 2.1.1 answers `shutdown` with -32603 ("dictionary changed size during iteration") when a
request is still running, e.g. a send waiting on a slow Neptun server: cancelling a request
removes it from the dictionary being iterated. Iterate over a copy instead.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from lsprotocol import types
from pygls.protocol import LanguageServerProtocol, lsp_method


class NeptunProtocol(LanguageServerProtocol):
    @lsp_method(types.SHUTDOWN)
    def lsp_shutdown(self, *args: Any) -> Generator[Any, Any, None]:
        if (user_handler := self.fm.features.get(types.SHUTDOWN)) is not None:
            yield user_handler, args, None
        current_id = self.msg_id
        for msg_id, future in list(self._request_futures.items()):
            if msg_id != current_id and not future.done():
                future.cancel()
        self._shutdown = True
        return None
