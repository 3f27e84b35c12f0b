"""The one error the notation raises."""

from __future__ import annotations


class NotationError(ValueError):
    """The text is not a workout. ``column`` is 1-based; ``text`` is what the coach typed."""

    def __init__(self, column: int, message: str, text: str = "") -> None:
        super().__init__(f"column {column}: {message}")
        self.column = column
        self.message = message
        self.text = text

    def __reduce__(self) -> tuple[type[NotationError], tuple[int, str, str]]:
        return (type(self), (self.column, self.message, self.text))
