"""`python -m neptun_lsp` is the same program as `neptun-lsp`."""

import sys

from neptun_lsp.cli import main

sys.exit(main())
