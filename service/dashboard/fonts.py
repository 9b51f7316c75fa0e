"""The bundled Bengali web font (Noto Sans Bengali, OFL, from service/fonts/) and its licence.

Served by the app itself, so Bangla renders on a phone without a Bengali system font and no
page ever asks another server for anything.
"""

from __future__ import annotations

from pathlib import Path

from flask import abort, send_from_directory

from service.dashboard import bp

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
SERVED = frozenset({"NotoSansBengali-Regular.ttf", "NotoSansBengali-Bold.ttf", "OFL.txt"})
ONE_YEAR = 365 * 24 * 3600


@bp.get("/dashboard-fonts/<name>")
def font(name: str):  # type: ignore[no-untyped-def]
    if name not in SERVED:
        abort(404)
    return send_from_directory(FONT_DIR, name, max_age=ONE_YEAR)
