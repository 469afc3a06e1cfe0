"""Domain functions of the admission platform: one per state change, each audited."""


class AdmissionError(ValueError):
    """A refused change, with a message for the person who asked, in their language."""

    def __init__(
        self, message: str, *, field: str | None = None, messages: list[str] | None = None
    ):
        super().__init__(message)
        self.field = field
        self.messages = messages or [message]
