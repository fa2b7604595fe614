"""The shared browser fixture works as the browser tests use it: a page's scripts run, the DOM
comes back, a key press reaches the page, and a screenshot is kept as an artefact."""

from __future__ import annotations

from pathlib import Path

from browser_support import artifact, dump_dom, screenshot

PAGE = """<!doctype html><html><body>
<svg id="chart" width="120" height="40"></svg>
<p id="keys"></p>
<script>
  const rect = document.createElementNS("http://www.w3.org/2000/svg", "rect");
  rect.setAttribute("data-item", "q-from-script");
  rect.setAttribute("width", "50"); rect.setAttribute("height", "20");
  document.getElementById("chart").appendChild(rect);
  document.addEventListener("keydown", (e) => {
    document.getElementById("keys").textContent += e.key;
  });
</script></body></html>"""


def _page(tmp_path: Path) -> Path:
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    return page


def test_dump_dom_runs_the_page_scripts(tmp_path: Path) -> None:
    dom = dump_dom(_page(tmp_path))
    assert 'data-item="q-from-script"' in dom, dom[:2000]


def test_screenshot_is_kept(tmp_path: Path) -> None:
    out = screenshot(_page(tmp_path), artifact("browser-support-selftest.png"), size=(320, 200))
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_playwright_drives_the_system_chromium(browser, tmp_path: Path) -> None:
    page = browser.new_page()
    try:
        page.goto(_page(tmp_path).as_uri())
        page.keyboard.press("a")
        page.keyboard.press("2")
        assert page.text_content("#keys") == "a2"
        assert page.locator("rect[data-item=q-from-script]").count() == 1
        page.screenshot(path=str(artifact("browser-support-playwright.png")))
    finally:
        page.close()
