"""neptun-lsp: send the code your editor holds to a Neptun AI chat."""

__version__ = "0.1.0"
