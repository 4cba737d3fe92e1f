"""What every page must satisfy, checked in Chromium: no horizontal scrolling at 1280 px and 390 px, no serious
or critical axe-core violation, and in the Chinese UI no English sentence and no database id in what is shown.

`audit(page, name)` checks the page as loaded at both widths and saves a full-page screenshot of each as a
test artifact (var/test-artifacts/screenshots, or BROWSER_SCREENSHOTS).
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("BROWSER_SCREENSHOTS") or ROOT / "var" / "test-artifacts" / "screenshots")
WIDTHS = (1280, 390)
SERIOUS = {"serious", "critical"}
# Three or more Latin words in a row is an English sentence; codes (FIM-4.2), units and names are not.
ENGLISH = re.compile(r"\b[A-Za-z][a-z]+(?:[ ,]+[A-Za-z][a-z]+){2,}\b")
ALLOWED_LATIN = ("English", "API", "OpenAPI", "Swagger", "Chongqing Innovation Policy Portal", "ReDoc")
_axe = Axe()


def overflow(page) -> int:
    """How many CSS pixels the page is wider than the viewport (0 when nothing scrolls sideways)."""
    return page.evaluate("() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
                         " - document.documentElement.clientWidth")


def serious_violations(page) -> list[str]:
    results = _axe.run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
            for v in results.response["violations"] if v.get("impact") in SERIOUS]


def english_in(text: str) -> list[str]:
    found = []
    for match in ENGLISH.finditer(text):
        phrase = match.group(0)
        if not any(allowed in phrase or phrase in allowed for allowed in ALLOWED_LATIN):
            found.append(phrase)
    return found


def visible_text(page) -> str:
    return page.evaluate("() => document.body.innerText")


def audit(page, name: str, *, chinese: bool = True) -> None:
    """Assert the standards on the page as it stands, at 1280 px and 390 px; screenshot both."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(50)
        extra = overflow(page)
        if extra > 0:
            problems.append(f"{width}px: {extra}px of horizontal scroll")
        problems += [f"{width}px axe: {v}" for v in serious_violations(page)]
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    if chinese:
        problems += [f"English: {phrase!r}" for phrase in english_in(visible_text(page))]
    page.set_viewport_size({"width": 1280, "height": 900})
    assert not problems, f"{name} ({page.url}):\n" + "\n".join(problems)
