"""The Bangla PDF as people see it: a rendered page matches a reviewed reference image.

pdftoppm (poppler-utils; .ci/run installs it) renders the page; a difference (the share of
inked pixels that changed) above TOLERANCE fails, and the same page without HarfBuzz shaping
is shown to fail, so a shaping regression (detached vowel signs, broken conjuncts, boxes)
cannot pass unseen.
Regenerate the reference after a deliberate layout change, and look at it:
    .venv/bin/python -m tests.service.test_report_shaping --write
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageChops, ImageStat

from service.reports.layout import Bullets, Cover, Document, Heading, Para, TextTable, Title
from service.reports.render_pdf import pdf_from_document

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "report_bn_page1.png"
DPI = 60
TOLERANCE = 0.10  # share of inked pixels that changed: 0.0 re-rendered, 0.56 unshaped

PAGE = Document(
    title="আশ্বাস অগ্রগতি প্রতিবেদন: জানুয়ারি-ডিসেম্বর ২০২১",
    lang="bn",
    page_words="পৃষ্ঠা {n}, মোট {m}",
    blocks=[
        Title("আশ্বাস অগ্রগতি প্রতিবেদন: জানুয়ারি-ডিসেম্বর ২০২১"),
        Cover([("প্রকল্প", "আশ্বাস"), ("জেলা", "সাতক্ষীরা"), ("প্রস্তুত করেছেন", "পরিবীক্ষণ কর্মকর্তা")]),
        Heading("পাচারের শিকার মানুষের কল্যাণ", 2),
        # Conjuncts (ক্ষ, স্থ্য, ন্ধ, ক্ত), pre-base and split vowel signs (ি, ে, ো), marks (ঁ, ু).
        Bullets(
            (
                "২৯৮ জন পাচারের শিকার মানুষকে শনাক্ত ও নিবন্ধন করা হয়েছে।",
                "১৬ জন জরুরি সহায়তা (স্বাস্থ্য, ট্রমা, কাউন্সেলিং ও আশ্রয়) পেয়েছেন।",
                "স্কুল/মাদ্রাসা/কলেজে ৩টি সচেতনতা সেশন হয়েছে, তাঁদের মধ্যে ছিলেন শিক্ষার্থী।",
                "Winrock International-এর আর্থিক সহায়তায় প্রকল্পটি বাস্তবায়িত হচ্ছে।",
            )
        ),
        Para("কোনো রেকর্ড তখনই গোনা হয়, যখন তার কাজের তারিখ এই সময়ের মধ্যে।"),
        TextTable(
            "উপজেলা অনুযায়ী",
            ["উপজেলা", "নিবন্ধিত", "সনদ"],
            [["আশাশুনি", "৪০", "৪৬"], ["শ্যামনগর", "৪৬", "৫২"], ["মোট", "৮৬", "৯৮"]],
            [3, 1, 1],
            [False, True, True],
            True,
            "",
        ),
    ],
)


def render_page(shaping: bool = True) -> Image.Image:
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm is missing: apt-get install poppler-utils (.ci/run does)"
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "page.pdf"
        pdf.write_bytes(pdf_from_document(PAGE, shaping=shaping))
        subprocess.run(
            [
                pdftoppm,
                "-r",
                str(DPI),
                "-f",
                "1",
                "-l",
                "1",
                "-gray",
                "-png",
                "-singlefile",
                str(pdf),
                str(Path(tmp) / "page"),
            ],
            check=True,
        )
        with Image.open(Path(tmp) / "page.png") as image:
            return image.convert("L").copy()


def difference(a: Image.Image, b: Image.Image) -> float:
    """Share of inked pixels (in either image) whose grey level differs by more than a
    quarter: white paper does not dilute it, anti-aliasing noise does not count."""
    assert a.size == b.size, (a.size, b.size)
    changed = ImageChops.difference(a, b).point(lambda v: 255 if v > 64 else 0)
    ink = ImageChops.lighter(ImageChops.invert(a), ImageChops.invert(b)).point(
        lambda v: 255 if v > 64 else 0
    )
    inked = ImageStat.Stat(ink).sum[0] / 255
    assert inked, "a blank page"
    return float(ImageStat.Stat(changed).sum[0] / 255 / inked)


def test_the_bangla_page_renders_as_the_reviewed_reference() -> None:
    with Image.open(REFERENCE) as ref:
        reference = ref.convert("L").copy()
    assert difference(render_page(), reference) < TOLERANCE


def test_unshaped_bangla_would_fail_the_comparison() -> None:
    with Image.open(REFERENCE) as ref:
        reference = ref.convert("L").copy()
    assert difference(render_page(shaping=False), reference) > TOLERANCE


if __name__ == "__main__" and "--write" in sys.argv:
    render_page().save(REFERENCE, optimize=True)
    print(f"wrote {REFERENCE}")
