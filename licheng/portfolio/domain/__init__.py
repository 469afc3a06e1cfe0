"""Business logic of the portfolio app: one function per state change, each audited."""

from __future__ import annotations


class PortfolioError(ValueError):
    """A refused change; ``field`` names the form field it concerns ("" for the whole form)."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field
