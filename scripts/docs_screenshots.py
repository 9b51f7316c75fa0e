"""Copy the browser tests' screenshots into docs/img/ as small palette PNGs.

Run after `pytest tests/browser` (which writes tests/artifacts/page-*.png and the flow's
shots); docs/dashboard.md shows the results. Laptop shots are scaled to 900 px wide.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
OUT = ROOT / "docs" / "img"
# (artifact name, docs name)
SHOTS = [
    *[
        (f"page-laptop-{name}", f"{name}")
        for name in (
            "overview",
            "messages",
            "records",
            "survivors",
            "referrals",
            "reporters",
            "reporter-edit",
            "import",
            "users-link",
            "reset",
            "password",
            "report",
            "simulator",
            "viewer-reporters",
        )
    ],
    ("laptop-import-report", "import-report"),
    *[(f"page-phone-{name}", f"phone-{name}") for name in ("overview", "reporters", "users-link")],
    ("phone-records-bangla", "phone-records-bangla"),
    ("phone-skip-link", "phone-skip-link"),
]
LAPTOP_WIDTH = 900
MAX_HEIGHT = 1600


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    missing = [name for name, _ in SHOTS if not (ARTIFACTS / f"{name}.png").exists()]
    if missing:
        print(f"missing screenshots (run pytest tests/browser first): {', '.join(missing)}")
        return 1
    for name, target in SHOTS:
        image = Image.open(ARTIFACTS / f"{name}.png").convert("RGB")
        if image.width > LAPTOP_WIDTH:
            image = image.resize(
                (LAPTOP_WIDTH, round(image.height * LAPTOP_WIDTH / image.width)),
                Image.Resampling.LANCZOS,
            )
        image = image.crop((0, 0, image.width, min(image.height, MAX_HEIGHT)))
        image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(
            OUT / f"{target}.png", optimize=True
        )
    print(f"{len(SHOTS)} screenshots written to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
