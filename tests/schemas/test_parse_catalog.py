"""The command catalog: the spec's aliases, roles in card order, validation, data-only growth."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from schemas.commands import Role
from schemas.parse import Context, Sender, load_context, parse
from schemas.parse.catalog import CATALOG_PATH, CatalogError, load_catalog, read_catalog
from schemas.text import normalise

SPEC_ALIASES = {
    "MEET": ["SOVA", "সভা", "shova"],
    "UPD": ["UP", "ইউপি"],
    "LED": ["POLICE", "পুলিশ"],
    "SCH": ["SCHOOL", "SKUL", "স্কুল"],
    "COM": ["POT", "PUPPET", "পট"],
    "AWR": ["AWARE", "সচেতন"],
    "YTH": ["YOUTH", "যুব"],
    "TRN": ["TRAINING", "প্রশিক্ষণ"],
    "DAY": ["DIBOS", "দিবস"],
    "ENR": ["NEW", "নতুন", "notun"],
    "NA": ["NEED", "চাহিদা"],
    "IC": ["COUNSEL", "কাউন্সেলিং"],
    "FC": ["FAMILY", "পরিবার", "poribar"],
    "CC": ["COMMUNITY", "কমিউনিটি"],
    "CERT": ["SONOD", "সনদ"],
    "REF": ["REFER", "রেফার"],
    "EMG": ["EMERGENCY", "জরুরি", "jorori", "joruri"],
    "SUP": ["SUPPORT", "সহায়তা", "sohayota"],
    "HELP": ["?", "সাহায্য"],
    "UNDO": ["CANCEL", "বাতিল"],
    "LANG": ["ভাষা", "bhasha"],
    "WHO": ["ME"],
}
EVENTS = ["MEET", "UPD", "LED", "SCH", "COM", "AWR", "YTH", "TRN", "DAY"]
SURVIVOR = ["ENR", "NA", "IC", "FC", "CC", "CERT", "REF", "EMG", "SUP"]
COMMON = ["HELP", "UNDO", "LANG", "WHO"]


def test_every_alias_of_the_spec_tables_resolves() -> None:
    catalog = load_catalog()
    for keyword, aliases in SPEC_ALIASES.items():
        for alias in [keyword, *aliases]:
            assert catalog.keyword_for(normalise(alias)) == keyword, alias


def test_allowed_keywords_in_card_order_per_role() -> None:
    catalog = load_catalog()
    assert catalog.allowed_keywords(Role.ACTIVIST) == EVENTS + COMMON
    assert catalog.allowed_keywords(Role.COUNSELLOR) == EVENTS + SURVIVOR + COMMON
    assert catalog.allowed_keywords("coordinator") == EVENTS + SURVIVOR + COMMON


def test_values_of_the_spec() -> None:
    catalog = load_catalog()
    assert catalog.values("services") == ["HEALTH", "LEGAL", "SHELTER", "LIVELIHOOD"]
    short = [catalog.value("services", a) for a in ("h", "l", "s", "lv")]
    assert short == catalog.values("services")
    assert catalog.values("emergency_kinds") == ["HEALTH", "TRAUMA", "COUNSEL", "SHELTER"]
    assert catalog.partner_display == {"PRAN": "PRAN-RFL"}
    assert {c: (d.month, d.day) for c, d in catalog.day_codes.items()} == {
        "IWD": (3, 8),
        "TIP": (7, 30),
        "IMD": (12, 18),
    }
    assert catalog.command("DAY").max_total == 20000 and catalog.command("MEET").max_total == 5000
    assert [g.field for g in catalog.command("SCH").tag_groups] == ["gender", "audience"]


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = CATALOG_PATH.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "commands.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('shape = "code"', 'shape = "codes"', "shape"),
        ('aliases = ["SOVA"', 'aliases = ["UP"', "alias 'UP' already belongs to MEET"),
        ('group = "survivor"', 'group = "secret"', "unknown group"),
        ('tag_groups = ["gender"]', 'tag_groups = ["gendr"]', "unknown tag group"),
        ("month = 3", "month = 13", "month"),
        ("[commands.MEET]", "[commands.MEET", "cannot read"),
        ('form = "WHO"', "form = 3", "form"),
        ('1 = ["january"', '13 = ["january"', "month 1-12"),
        ('"pot gan" = "COM"', '"potgan" = "COM"', "bad phrase"),
        ('vague_dates = ["kal"', 'vague_dates = [3, "kal"', "non-empty strings"),
    ],
)
def test_malformed_catalog_fails_loudly(tmp_path: Path, old: str, new: str, message: str) -> None:
    with pytest.raises(CatalogError, match=message):
        read_catalog(_broken(tmp_path, old, new))


def test_new_partner_and_event_type_are_data_only(tmp_path: Path) -> None:
    extra = (
        '\n[commands.RALLY]\ngroup = "event"\nshape = "event"\naliases = ["michil"]\n'
        'tag_groups = ["gender"]\nform = "RALLY <total> [M<n> F<n>] [date] [place]"\n'
        '\n[partners.ACME]\ndisplay = "Acme Ltd"\naliases = ["AC"]\n'
    )
    path = tmp_path / "commands.toml"
    text = CATALOG_PATH.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "# ---------------------------------------------------------"
            "-------------------- field values",
            extra,
            1,
        ),
        encoding="utf-8",
    )
    catalog = read_catalog(path)
    base = load_context()
    ctx = Context(catalog, base.gazetteer, base.timezone)
    sender = Sender(Role.COUNSELLOR, base.gazetteer.union("Nalta"))
    received = datetime.fromisoformat("2026-03-10T08:00:00Z")
    rally = parse("michil 40 M20 F20", sender, received, ctx)
    assert rally.ok and rally.command is not None and rally.command.keyword == "RALLY"
    assert "RALLY" in catalog.allowed_keywords(Role.ACTIVIST)
    sup = parse("SUP 100009 ac", sender, received, ctx)
    assert sup.command is not None and sup.command.partner == "ACME"
