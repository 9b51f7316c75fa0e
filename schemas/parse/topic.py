"""`TRN ... TOPIC <text>`: the free-text topic cut off the message before it is tokenised."""

from __future__ import annotations

import re
import unicodedata

MAX_TOPIC = 120
# `TOPIC` or `বিষয়` as a word of its own (after a separator), and the rest of the message.
_MARKER = re.compile(
    r"(?:^|(?<=[\s,;#*+()\[\]!?\"]))(?:topic|"
    + unicodedata.normalize("NFC", "বিষয়")
    + r")(?=$|[\s,;:#*+()\[\]!?\"\-])[\s:\-]*",
    re.IGNORECASE,
)


def cut_topic(text: str) -> tuple[str, str | None]:
    """(the message before the marker, the topic as typed: NFC only) or (text, None)."""
    if "topic" not in text.lower() and "\u09ac\u09bf\u09b7" not in text:  # cheap miss
        return text, None
    nfc = unicodedata.normalize("NFC", text)
    found = _MARKER.search(nfc)
    if found is None:
        return text, None
    return nfc[: found.start()], nfc[found.end() :].strip()
