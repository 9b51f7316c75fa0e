"""The words of every reminder, follow-up, digest and budget notice, in English and Bangla.

Neutral on purpose: safe for anyone in the family who reads the phone. Codes and record
numbers may appear (staff know them); never a survivor's name, sex, age or place, nor the
words of bangla.md's never-list. English fits one GSM-7 SMS, Bangla two UCS-2 parts.
"""

from __future__ import annotations

from datetime import date

from schemas.periods import MONTH_NAMES, MONTH_NAMES_BN
from schemas.replies.sms_length import fits_reply
from schemas.text import bengali_digits

# (rule, step) -> {lang: template}. Step 3 goes to coordinators. Placeholders: month, union,
# ref, since, code, days, phone, week, saved, not_saved, silent, overdue, percent.
TEXTS: dict[tuple[str, int], dict[str, str]] = {
    ("silent_reporter", 1): {
        "en": "Please send your reports for {month}. HELP for the list.",
        "bn": "{month} মাসের রিপোর্ট পাঠান। তালিকার জন্য HELP পাঠান।",
    },
    ("silent_reporter", 2): {
        "en": "Reminder: please send your reports for {month}. HELP for the list.",
        "bn": "মনে করিয়ে দিচ্ছি: {month} মাসের রিপোর্ট পাঠান। তালিকার জন্য HELP পাঠান।",
    },
    ("silent_reporter", 3): {
        "en": "No reports for {days} days from {phone}. Please check in with them.",
        "bn": "{phone} থেকে {days} দিন কোনো রিপোর্ট আসেনি। একটু খোঁজ নিন।",
    },
    ("meeting_due", 1): {
        "en": "The coordination meeting for {union} is due. Send MEET <total> when held.",
        "bn": "{union} সমন্বয় সভার সময় হয়েছে। সভা হলে পাঠান MEET <মোট>",
    },
    ("meeting_due", 2): {
        "en": "Reminder: the coordination meeting for {union} is due. Send MEET <total> when held.",
        "bn": "মনে করিয়ে দিচ্ছি: {union} সমন্বয় সভার সময় হয়েছে। সভা হলে পাঠান MEET <মোট>",
    },
    ("meeting_due", 3): {
        "en": "No coordination meeting in {union} for {days} days.",
        "bn": "{union} এ {days} দিন সমন্বয় সভা হয়নি।",
    },
    ("referral_open", 1): {
        "en": "{ref} is open since {since}. Send REF {ref} DONE or REF {ref} NO.",
        "bn": "{ref} {since} থেকে খোলা। পাঠান REF {ref} DONE অথবা REF {ref} NO",
    },
    ("referral_open", 2): {
        "en": "Reminder: {ref} is open since {since}. Send REF {ref} DONE or REF {ref} NO.",
        "bn": "মনে করিয়ে দিচ্ছি: {ref} {since} থেকে খোলা। পাঠান REF {ref} DONE অথবা REF {ref} NO",
    },
    ("referral_open", 3): {
        "en": "{ref} is open since {since} with no outcome yet.",
        "bn": "{ref} {since} থেকে খোলা, ফলাফল আসেনি।",
    },
    ("ic_without_cert", 1): {
        "en": "Code {code}: no session for {days} days. Send IC {code} or CERT {code}.",
        "bn": "কোড {code}: {days} দিন কোনো সেশন হয়নি। পাঠান IC {code} অথবা CERT {code}",
    },
    ("ic_without_cert", 2): {
        "en": "Reminder, code {code}: no session for {days} days. Send IC {code} or CERT {code}.",
        "bn": "মনে করিয়ে দিচ্ছি, কোড {code}: {days} দিন সেশন হয়নি। পাঠান IC {code} অথবা CERT {code}",
    },
    ("ic_without_cert", 3): {
        "en": "Code {code}: no session for {days} days.",
        "bn": "কোড {code}: {days} দিন কোনো সেশন হয়নি।",
    },
    ("weekly_digest", 1): {
        "en": "Week {week}: {saved} saved, {not_saved} not saved, {silent} silent reporters, "
        "{overdue} overdue referrals.",
        "bn": "সপ্তাহ {week}: {saved} জমা হয়েছে, {not_saved} জমা হয়নি, {silent} জন চুপ, "
        "{overdue} রেফার দেরি।",
    },
    ("budget", 1): {
        "en": "SMS use this month has reached {percent}% of the budget.",
        "bn": "এ মাসে SMS বাজেটের {percent}% খরচ হয়েছে।",
    },
}


def month_name(month: int, lang: str) -> str:
    return (MONTH_NAMES_BN if lang == "bn" else MONTH_NAMES)[month - 1]


def day_text(day: date, lang: str) -> str:
    """`3 Nov` / `৩ নভেম্বর`: short, no year (the reader knows it)."""
    if lang == "bn":
        return f"{bengali_digits(str(day.day))} {MONTH_NAMES_BN[day.month - 1]}"
    return f"{day.day} {MONTH_NAMES[day.month - 1][:3]}"


def render(rule: str, step: int, lang: str, **values: object) -> str:
    """The text for one message. Numbers are Bengali digits in Bangla, codes stay Latin."""
    lang = "bn" if lang == "bn" else "en"
    template = TEXTS[(rule, step)][lang]
    shown = {}
    for key, value in values.items():
        if lang == "bn" and isinstance(value, int) and not isinstance(value, bool):
            shown[key] = bengali_digits(str(value))
        else:
            shown[key] = str(value)
    text = template.format(**shown)
    if not fits_reply(text, lang):
        # Values too long for the segment budget (a very long union name): drop the
        # friendly prefix, then cut, so the message still goes out in its budget.
        text = text.replace("Reminder: ", "").replace("মনে করিয়ে দিচ্ছি: ", "")
        while not fits_reply(text, lang):
            text = text[:-2].rstrip() + "…" if lang == "bn" else text[:-4].rstrip() + "..."
    return text
