"""Replies: an Outcome (or a record) -> the reply text per language, within one SMS.

The room's rule: wording only, never parsing or deciding. `compose` words every outcome,
`errors` says why a message was not saved, `words` loads `replies.toml` and formats numbers,
dates and echoes safely, `pause` words the notice before replies pause, `sms_length` counts
GSM-7/UCS-2 units. Nothing here names a survivor's sex, age or place. Imports only `schemas`.
"""

from schemas.replies.compose import render

__all__ = ["render"]
