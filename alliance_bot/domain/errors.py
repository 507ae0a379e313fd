"""Errors the user caused and can fix; the one error path shows their message as it is."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or a refused action: shown to the user as a short ephemeral reply."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def storable(text: str) -> bool:
    """Whether a text can be stored as given: valid UTF-8 (no lone surrogates) and no NUL.

    SQLite's driver refuses a lone surrogate with UnicodeEncodeError and PostgreSQL refuses NUL in
    text, so such input is refused where it enters, not half-way through an action.
    """
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
