"""Which survivor count of the report a record feeds, as bits of the records.report_bits column."""

from __future__ import annotations

SERVICES = ("HEALTH", "LEGAL", "SHELTER", "LIVELIHOOD")
PARTNERS = ("PRAN",)
# Survivor keywords counted as distinct survivors (ENR: one survivor per record anyway).
PER_SURVIVOR = {
    "ENR": "enrolled",
    "NA": "needs_assessed",
    "IC": "individual_counselling",
    "FC": "families_counselled",
    "CERT": "certified",
    "EMG": "emergency_support",
}
Path = tuple[str, ...]  # where a count goes in the "survivors" object: ("referred", "LEGAL")

# (where the count goes, keyword, service, partner): a record with that keyword (and that
# service or partner) makes its survivor count there. Bit i of report_bits is FLAGS[i]; at
# most one matches a record, since a record has one keyword, service and partner.
FLAGS: tuple[tuple[Path, str, str | None, str | None], ...] = (
    *(((name,), keyword, None, None) for keyword, name in PER_SURVIVOR.items()),
    *((("referred", s), "REF", s, None) for s in SERVICES),
    *((("partner_support", p), "SUP", None, p) for p in PARTNERS),
)
# Set on every record of a survivor under 18 at enrolment ("children": any record counts).
CHILD = 1 << len(FLAGS)
# The bit of family sessions, whose member counts the report also needs.
FAMILY = 1 << [path for path, *_ in FLAGS].index(("families_counselled",))
# Every bit with the count it feeds, the children's bit last.
BITS: tuple[tuple[Path, int], ...] = (
    *((path, 1 << i) for i, (path, *_) in enumerate(FLAGS)),
    (("children",), CHILD),
)


def report_bits_sql() -> str:
    """The generated column's expression, the same SQL on SQLite and PostgreSQL."""
    whens = []
    for i, (_, keyword, service, partner) in enumerate(FLAGS):
        cond = f"keyword = '{keyword}'"
        if service is not None:
            cond += f" AND service = '{service}'"
        if partner is not None:
            cond += f" AND partner = '{partner}'"
        whens.append(f"WHEN {cond} THEN {1 << i}")
    return f"CASE {' '.join(whens)} ELSE 0 END + CASE WHEN survivor_child THEN {CHILD} ELSE 0 END"
