"""Business logic of the portfolio app: one function per state change, each audited."""

from __future__ import annotations


class PortfolioError(ValueError):
    """A refused change; ``field`` names the form field it concerns ("" for the whole form).

    ``errors`` holds every problem found in one pass, form field → message, so a page can show
    them all at once; ``message`` and ``field`` are the first of them, for callers that report one.
    """

    def __init__(self, message: str, field: str = "", *, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors: dict[str, str] = dict(errors) if errors else {field: message}

    @classmethod
    def collected(cls, errors: dict[str, str]) -> PortfolioError:
        """One error naming every problem in ``errors`` (not empty), the first as ``message``."""
        field, message = next(iter(errors.items()))
        return cls(message, field, errors=errors)
