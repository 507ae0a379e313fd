"""Errors the user caused and can fix; the one error path shows their message as it is."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or a refused action: shown to the user as a short ephemeral reply."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
