"""The PDF's text shortcuts (pdf_text.py, pdf_fonts.ShapedFont) draw what fpdf2 itself draws,
and a long list of bullets leaves no page holding a lone bullet or text without a font."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from fpdf import FPDF
from fpdf.fonts import TTFFont
from PIL import ImageChops

from service.reports.layout import Bullets, Document, Title
from service.reports.pdf_fonts import ShapedFont, add_fonts
from service.reports.pdf_text import TextPdf, left_to_right
from service.reports.render_pdf import pdf_from_document
from tests.service.test_report_shaping import render_page


def _plain_fpdf2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every shortcut undone: fpdf2's own text preparation, widths and shaping."""
    monkeypatch.setattr(TextPdf, "get_string_width", FPDF.get_string_width)
    monkeypatch.setattr(TextPdf, "_preload_bidirectional_text", FPDF._preload_bidirectional_text)
    monkeypatch.setattr(ShapedFont, "perform_harfbuzz_shaping", TTFFont.perform_harfbuzz_shaping)
    monkeypatch.setattr(ShapedFont, "shape_text", TTFFont.shape_text)


def test_the_shortcuts_draw_the_bangla_page_pixel_for_pixel(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fast = render_page()
    _plain_fpdf2(monkeypatch)
    plain = render_page()
    assert fast.size == plain.size
    assert ImageChops.difference(fast, plain).getbbox() is None


def test_a_bangla_line_is_shaped_in_one_run_not_one_per_word() -> None:
    pdf = TextPdf()
    add_fonts(pdf)
    pdf.add_page()
    pdf.set_font("sans", "", 10)
    line = "২৯৮ জন পাচারের শিকার মানুষকে শনাক্ত ও নিবন্ধন করা হয়েছে।"
    runs = pdf._preload_bidirectional_text(line, False)
    assert ["".join(f.characters) for f in runs] == [line]
    mixed = pdf._preload_bidirectional_text("Winrock International-এর আর্থিক সহায়তায়", False)
    assert ["".join(f.characters) for f in mixed] == ["Winrock International-", "এর আর্থিক সহায়তায়"]
    # Widths as fpdf2 measures them, the spaces included.
    assert pdf.get_string_width(line) == pytest.approx(FPDF.get_string_width(pdf, line))


def test_right_to_left_text_is_left_to_fpdf2() -> None:
    assert left_to_right("আশ্বাস ASHSHASH ২০২১ (CTIP)")
    assert not left_to_right("שלום")
    assert not left_to_right("a\u202bb")  # an explicit embedding


def test_no_page_holds_a_lone_bullet_or_text_without_a_font() -> None:
    # One line each, as the international days are: the bullet meets the page foot first.
    items = tuple(
        f"{n} জানুয়ারি ২০২১ আন্তর্জাতিক নারী দিবস উদযাপিত হয়েছে; কমিউনিটি পর্যায়ের {n} জন"
        " নারী ও পুরুষ অংশ নিয়েছেন।"
        for n in range(1, 121)
    )
    doc = Document("t", "bn", "পৃষ্ঠা {n}, মোট {m}", [Title("তালিকা"), Bullets(items)])
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext is missing: apt-get install poppler-utils (.ci/run does)"
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "list.pdf"
        pdf.write_bytes(pdf_from_document(doc))
        run = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True)
    assert "No font" not in run.stderr, run.stderr[:200]
    pages = [p.split() for p in run.stdout.split("\f") if p.strip()]
    assert len(pages) >= 3
    for words in pages:
        # Every page holds items, not only a bullet and the footer "পৃষ্ঠা n, মোট m".
        assert "অংশ" in words, words
