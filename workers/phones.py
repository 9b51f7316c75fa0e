"""Phone numbers as senders are known: E.164, whatever way the provider or a person wrote them."""

from __future__ import annotations

from functools import lru_cache

import phonenumbers


# Senders repeat (a reporter sends many messages), and a parse costs about 0.1 ms of CPU on
# the webhook's hot path; the result depends on the two arguments only, so it is cached.
@lru_cache(maxsize=8192)
def to_e164(raw: str | None, region: str = "BD") -> str | None:
    """`01712345678`, `8801712345678`, `+880 1712-345678`, `008801712345678` -> `+8801712345678`.

    None when the text is not a possible phone number (short codes, names, junk).
    """
    if not raw:
        return None
    text = raw.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_possible_number(number):
        # `8801712345678` written without the plus: read it as international.
        try:
            number = phonenumbers.parse("+" + text.lstrip("+"), None)
        except phonenumbers.NumberParseException:
            return None
        if not phonenumbers.is_possible_number(number):
            return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
