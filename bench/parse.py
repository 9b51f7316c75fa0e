"""Parser throughput: 10,000 seeded realistic messages (English, Bangla, mistakes) on one core.

Run: .venv/bin/python bench/parse.py [--messages N] [--seed S] [--repeat R] [--messy F]
Prints msgs/s for pure parsing of two mixes, all-clean and a fraction F (default 0.3) made
messy the way field staff type (thank-yous, signatures, `M 300`, glued tokens, `8 March`,
`Gabura union`: the forgiving reading's cases), each against a baseline measured in the same
run (a plain `str.split` over the same messages), so the figure can be read on any machine.
Goal: 20,000/s for both.
Times are this process's CPU time (time.process_time): the machine is shared, and wall time
would measure the neighbours.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from schemas.codes import new_code  # noqa: E402
from schemas.commands import Role  # noqa: E402
from schemas.parse import Context, Sender, load_context, parse  # noqa: E402

GOAL = 20_000
BN_DIGITS = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")
RECEIVED = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)


def _counts(rng: random.Random, total: int, letters: str) -> list[str]:
    first = rng.randint(0, total)
    if len(letters) == 2:
        return [f"{letters[0]}{first}", f"{letters[1]}{total - first}"]
    second = rng.randint(0, total - first)
    rest = total - first - second
    return [f"{letters[0]}{first}", f"{letters[1]}{second}", f"{letters[2]}{rest}"]


def _date(rng: random.Random) -> str:
    day = RECEIVED.date() - timedelta(days=rng.randint(0, 50))
    return rng.choice([f"{day.day}/{day.month}", f"{day.day}-{day.month}-{day.year % 100}",
                       f"{day.day}.{day.month}.{day.year}", "aj", "gotokal", "আজ", "গতকাল"])


def message(rng: random.Random, places: list[str], codes: list[str]) -> str:
    """One message as field staff type them: mostly right, some Bangla, some mistakes."""
    total = rng.randint(1, 900)
    keyword = rng.choice(["MEET", "sova", "সভা", "UPD", "LED", "com", "AWR", "TRN", "YTH",
                          "SCH", "skul", "DAY", "CC", "MEETT", "Met"])
    words = [keyword]
    if keyword == "DAY":
        words.append(rng.choice(["IWD", "IWD", "TIP", "XYZ"]))
    words.append(str(total))
    if rng.random() < 0.6:
        words += _counts(rng, total, "MF") if rng.random() < 0.9 else ["M5", "F6"]
    if keyword in ("SCH", "skul") and rng.random() < 0.5:
        words += _counts(rng, total, "STP")
    if rng.random() < 0.4:
        words.append(_date(rng))
    if rng.random() < 0.4:
        words.append(rng.choice(places))
    roll = rng.random()
    if roll < 0.25:  # survivor services from counsellors
        code = rng.choice(codes)
        words = rng.choice([
            ["IC", code], ["NA", code, _date(rng)], ["FC", code, str(rng.randint(0, 31))],
            ["REF", code, rng.choice(["H", "L", "S", "LV", "XYZ"])], ["REF", "R12", "DONE"],
            ["EMG", code, "HEALTH", "TRAUMA"], ["SUP", code, "PRAN"], ["CERT", code],
            ["ENR", rng.choice("MFX"), str(rng.randint(5, 130)), rng.choice(places)],
        ])
    elif roll < 0.30:
        words = rng.choice([["HELP"], ["WHO"], ["LANG", "BN"], ["UNDO", str(rng.randint(1, 9999))],
                            ["HELLO"], [",,;;"], ["?"]])
    text = rng.choice([" ", " ", ",", ";"]).join(words)
    return text.translate(BN_DIGITS) if rng.random() < 0.2 else text


def messy(rng: random.Random, text: str) -> str:
    """The same report as field staff often type it (sms-commands.md rule 9 and the widened
    rules 2, 4, 5, 7): every change is one the forgiving reading must undo."""
    words = text.split(" ") if " " in text else text.split(",")
    kind = rng.randrange(8)
    if kind == 0:
        words.append(rng.choice(["thanks", "dhonnobad", "ধন্যবাদ", "ok sir", "-Rina"]))
    elif kind == 1:
        words = ["Re:", *words]
    elif kind == 2 and len(words) > 2 and words[2][:1] in "MF" and words[2][1:].isdigit():
        words[2] = words[2][0] + " " + words[2][1:]  # M 300
    elif kind == 3 and len(words) > 1:
        words[0] = words[0] + words[1]  # upd40
        del words[1]
    elif kind == 4:
        words += ["8", "March"]
    elif kind == 5:
        words += ["Gabura", "union"]
    elif kind == 6:
        words[-1] = words[-1] + "."
    else:
        words += ["jon", "Rina"]
    return " ".join(words)


def _time(messages: list[str], sender: Sender, ctx: Context, repeat: int
          ) -> tuple[float, float, int]:
    """(best parse seconds, best str.split seconds, accepted), both measured in this run."""
    best = baseline = float("inf")
    accepted = 0
    for _ in range(repeat):
        start = time.process_time()
        for text in messages:
            text.split()
        baseline = min(baseline, time.process_time() - start)
        start = time.process_time()
        accepted = sum(parse(text, sender, RECEIVED, ctx).ok for text in messages)
        best = min(best, time.process_time() - start)
    return best, baseline, accepted


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--messages", type=int, default=10_000)
    args.add_argument("--seed", type=int, default=20260310)
    args.add_argument("--repeat", type=int, default=3)
    args.add_argument("--messy", type=float, default=0.3)
    opts = args.parse_args()

    rng = random.Random(opts.seed)
    ctx = load_context()
    gazetteer = ctx.gazetteer
    places = [p.name for p in gazetteer.unions()] + [p.name_bn for p in gazetteer.unions()[:20]]
    places += ["Shyamnagr", "Kaligonj", "Atlantis", "Kulis", "Dakshin Sreepur"]
    codes = [new_code(rng, lambda c: False) for _ in range(300)] + ["100008", "12345"]
    clean = [message(rng, places, codes) for _ in range(opts.messages)]
    mixed = [messy(rng, t) if rng.random() < opts.messy else t for t in clean]
    sender = Sender(Role.COUNSELLOR, gazetteer.union("Nalta"), "Rina Akter")

    parse(clean[0], sender, RECEIVED, ctx)  # load tables outside the timing
    print(f"messages: {len(clean)} per mix; machine shared: read the ratios to str.split")
    for name, messages in (("all-clean", clean), (f"{opts.messy:.0%}-messy", mixed)):
        best, baseline, accepted = _time(messages, sender, ctx, opts.repeat)
        rate = len(messages) / best
        print(f"{name:10} parse {rate:9,.0f} msgs/s ({best * 1e6 / len(messages):5.1f} us/msg, "
              f"best of {opts.repeat}); accepted {accepted}; str.split "
              f"{len(messages) / baseline:,.0f} msgs/s, parse/split time ratio "
              f"{best / baseline:.0f}x; goal {GOAL:,} -> {'met' if rate >= GOAL else 'NOT met'}")


if __name__ == "__main__":
    main()
