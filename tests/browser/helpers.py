"""What the browser tests check on every page: labels, focus, no sideways scroll, font use."""

from __future__ import annotations

from typing import Any

# Every visible form control must have a label (or an aria-label) a screen reader can read.
UNLABELLED = """() => [...document.querySelectorAll(
    'input:not([type=hidden]), select, textarea, button')].filter(el => {
  if (el.closest('[hidden]') || el.type === 'hidden' || el.hidden) return false;
  if (el.tagName === 'BUTTON') return !el.textContent.trim();
  return !(el.labels && el.labels.length) && !el.getAttribute('aria-label');
}).map(el => el.outerHTML.slice(0, 120))"""

# Tofu boxes all have one width; real Bengali glyphs differ from letter to letter.
GLYPH_WIDTHS = """(letters) => letters.map(ch => {
  const span = document.createElement('span');
  span.textContent = ch;
  span.style.fontSize = '40px';
  document.body.appendChild(span);
  const width = span.getBoundingClientRect().width;
  span.remove();
  return Math.round(width * 10) / 10;
})"""


def fonts_rendering(page: Any, selector: str) -> list[dict[str, Any]]:
    """The fonts Chromium actually used for the text of `selector` (DevTools protocol)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    return list(fonts)


def check_page(page: Any, width: int) -> None:
    """Labels on every control, nothing wider than the screen, every menu item in sight."""
    assert page.evaluate(UNLABELLED) == [], page.url
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url}: {scroll}px wide on a {width}px screen"
    for item in page.locator("nav.menu a").all():
        box = item.bounding_box()
        assert box is not None and item.is_visible(), page.url
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (page.url, box)
