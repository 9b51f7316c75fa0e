"""The last reply before SENDER_HOURLY_LIMIT pauses replies: the reply plus a short notice."""

from __future__ import annotations

from schemas.replies.sms_length import fits_reply

# Longest first: the first wording that fits beside the reply is used. Safe on a shared phone:
# it says nothing about what was reported.
NOTICES = {
    "en": (
        "Too many SMS: replies pause for 1 hour; your messages are still saved.",
        "Replies pause 1 hour; SMS still saved.",
        "Replies paused 1h.",
    ),
    "bn": (
        "অনেক SMS: ১ ঘণ্টা উত্তর বন্ধ থাকবে; আপনার বার্তা সংরক্ষিত হবে।",
        "১ ঘণ্টা উত্তর বন্ধ; বার্তা সংরক্ষিত হবে।",
        "১ ঘণ্টা উত্তর বন্ধ।",
    ),
}


def with_pause_notice(reply: str, lang: str) -> str:
    """`reply` followed by the longest notice that keeps it within one reply's budget; when
    none fits, the full notice alone (the record is saved all the same, and shown on the
    dashboard), so the sender always learns why the replies stop."""
    notices = NOTICES["bn" if lang == "bn" else "en"]
    for notice in notices:
        joined = f"{reply} {notice}"
        if fits_reply(joined, lang):
            return joined
    return notices[0]
