"""Typed parse results: the command a message means, or the errors that stop it."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Role(StrEnum):
    ACTIVIST = "activist"
    COUNSELLOR = "counsellor"
    COORDINATOR = "coordinator"


class Lang(StrEnum):
    EN = "en"
    BN = "bn"


# Canonical keywords. Event keywords produce an event record; CC is event-shaped but a
# survivor-service command (counsellor role); REFOUT is the `REF R<n> DONE|NO` form.
EVENT_KEYWORDS = ("MEET", "UPD", "LED", "SCH", "COM", "AWR", "YTH", "TRN", "DAY")
# The report's event types: DAY (international days) is counted by its day code instead.
EVENT_TYPES = tuple(k for k in EVENT_KEYWORDS if k != "DAY")
SURVIVOR_KEYWORDS = ("ENR", "NA", "IC", "FC", "CC", "CERT", "REF", "REFOUT", "EMG", "SUP")
COMMON_KEYWORDS = ("HELP", "UNDO", "LANG", "WHO")
# Keywords whose accepted message becomes a row in `records`.
RECORD_KEYWORDS = EVENT_KEYWORDS + SURVIVOR_KEYWORDS


class ErrorCode(StrEnum):
    """Why a message was not saved. Replies turn these into words; parsing never does."""

    EMPTY = "empty"  # nothing but separators
    UNKNOWN_KEYWORD = "unknown_keyword"
    ROLE_NOT_ALLOWED = "role_not_allowed"  # detail: {"keyword", "roles": "counsellor, coordinator"}
    MISSING_FIELD = "missing_field"  # field names it
    EXTRA_FIELD = "extra_field"  # detail: {"token"}
    MALFORMED_FIELD = "malformed_field"  # detail: {"token"}
    OUT_OF_RANGE = "out_of_range"  # detail: {"value", "min", "max"}
    # field = group ("gender"|"audience"); detail: {"parts", "sum", "total"}
    SUM_MISMATCH = "sum_mismatch"
    DUPLICATE_TAG = "duplicate_tag"  # detail: {"tag"}
    TAG_NOT_ALLOWED = "tag_not_allowed"  # detail: {"tag"}
    FUTURE_DATE = "future_date"  # detail: {"date"} ISO
    DATE_TOO_OLD = "date_too_old"  # detail: {"date", "days"}
    IMPOSSIBLE_DATE = "impossible_date"  # detail: {"token"}
    UNKNOWN_PLACE = "unknown_place"  # detail: {"text", "suggestions": "A, B, C"}
    MISSING_DAY_CODE = "missing_day_code"
    UNKNOWN_DAY_CODE = "unknown_day_code"  # detail: {"token"}
    BAD_SEX = "bad_sex"  # detail: {"token"}
    BAD_CHECK_DIGIT = "bad_check_digit"  # detail: {"token"}
    UNKNOWN_SERVICE = "unknown_service"  # detail: {"token"}
    UNKNOWN_KIND = "unknown_kind"  # detail: {"token"}
    UNKNOWN_PARTNER = "unknown_partner"  # detail: {"token"}
    UNKNOWN_LANG = "unknown_lang"  # detail: {"token"}
    TOO_LONG = "too_long"  # detail: {"length", "max"}
    NOT_UNDERSTOOD = "not_understood"  # detail: {"token"}: a word with a digit, a stray tag
    SECOND_KEYWORD = "second_keyword"  # detail: {"token"}: one report per SMS
    AMBIGUOUS_DATE = "ambiguous_date"  # detail: {"token"}: `MEET 3 March 9` reads two ways
    VAGUE_DATE = "vague_date"  # detail: {"token"}: `kal` is yesterday or tomorrow
    AMBIGUOUS_TOKEN = "ambiguous_token"  # detail: {"token"}: `7M0F7` splits two ways
    TOPIC_TOO_LONG = "topic_too_long"  # detail: {"length", "max"}
    ONLY_FILLER = "only_filler"  # `ok`, `thanks`, an emoji: ignored, no reply
    CONTROL_CHARS = "control_chars"
    # Raised by the worker after checking the database (parsing cannot know these).
    UNKNOWN_SURVIVOR = "unknown_survivor"  # detail: {"code"}
    UNKNOWN_REFERRAL = "unknown_referral"  # detail: {"referral"}
    CERT_BEFORE_IC = "cert_before_ic"  # detail: {"code"}
    UNKNOWN_RECORD = "unknown_record"  # detail: {"record"}
    UNDO_NOT_OWN = "undo_not_own"  # detail: {"record"}
    UNDO_TOO_LATE = "undo_too_late"  # detail: {"record", "days"}
    ALREADY_CANCELLED = "already_cancelled"  # detail: {"record"}
    UNKNOWN_SENDER = "unknown_sender"
    INACTIVE_SENDER = "inactive_sender"


@dataclass(frozen=True)
class ParseError:
    code: ErrorCode
    field: str | None = None  # "total", "date", "place", "code", "members", "M", ...
    # dataclasses.field: the attribute `field` above shadows a bare `field` in this class body.
    detail: dict[str, str | int] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class Place:
    """A gazetteer entry: a union (with its upazila) or a whole upazila."""

    upazila: str  # English upazila name as in the gazetteer
    union: str | None  # English union name; None when the place is an upazila
    name_bn: str  # Bangla name of the union, or of the upazila when union is None
    typed: str | None = None  # what the sender typed, set only when a near match was taken

    @property
    def name(self) -> str:
        return self.union or self.upazila


@dataclass(frozen=True)
class Command:
    """One understood message. Fields not used by a keyword stay at their defaults."""

    keyword: str  # canonical keyword: EVENT_KEYWORDS, SURVIVOR_KEYWORDS or COMMON_KEYWORDS
    activity_date: date | None = None  # set for every record keyword
    date_given: bool = False  # False: defaulted (received date, or the DAY's date)
    total: int | None = None
    tags: tuple[tuple[str, int], ...] = ()  # canonical tag letters in typed order: ("M", 300)
    place: Place | None = None
    place_given: bool = False  # False: the sender's registered union was used
    day_code: str | None = None  # DAY: IWD, TIP, IMD
    code: str | None = None  # survivor code, six digits, check digit valid
    sex: str | None = None  # ENR: M, F, O
    age: int | None = None  # ENR
    members: int | None = None  # FC
    service: str | None = None  # REF: HEALTH, LEGAL, SHELTER, LIVELIHOOD
    referral: int | None = None  # REFOUT: the n of R<n>
    outcome: str | None = None  # REFOUT: DONE, NO
    kinds: tuple[str, ...] = ()  # EMG: HEALTH, TRAUMA, COUNSEL, SHELTER
    partner: str | None = None  # SUP: PRAN
    record: int | None = None  # UNDO: record number
    lang: Lang | None = None  # LANG
    topic: str | None = None  # HELP: canonical keyword asked about, if any
    training_topic: str | None = None  # TRN ... TOPIC <text>: stored, never replied
    typed_keyword: str | None = None  # set when a one-edit correction was applied

    def tag(self, letter: str) -> int | None:
        return dict(self.tags).get(letter)


@dataclass(frozen=True)
class ParseResult:
    """Either a command or at least one error; `keyword` is known whenever it was read."""

    command: Command | None = None
    errors: tuple[ParseError, ...] = ()
    keyword: str | None = None

    @property
    def ok(self) -> bool:
        return self.command is not None and not self.errors
