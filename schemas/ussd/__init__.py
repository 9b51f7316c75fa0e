"""USSD: (path, role, language) -> the next Screen (CON/END), or the Submission to save.

The room's rule: pure functions, replayed from the whole `text` path on every hop. `screens`
is the entry point, `flows` the menu tree of ussd.md, `ask` one question each (answers are
checked with the parser's own readers), `end` the closing screens, `words` the Latin-only
strings. Imports only `schemas`.
"""

from schemas.ussd.screens import MAX_SCREEN, Screen, ShowRecent, Submission, menu

__all__ = ["MAX_SCREEN", "Screen", "ShowRecent", "Submission", "menu"]
