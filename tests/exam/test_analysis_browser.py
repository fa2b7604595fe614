"""analysis.html renders in a real headless Chromium: the three charts are SVG elements
carrying the expected item labels in the rendered DOM; a screenshot is kept as an artefact."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from browser_support import artifact, dump_dom, screenshot
from cli_support import run_grader
from exam_support import answer_all, build, load


def _graded(tmp_path: Path) -> Path:
    students = [f"s{n}" for n in range(6)]
    out = build(tmp_path, students)
    key = load(out / "key.json")
    answers = tmp_path / "answers"
    answers.mkdir()
    for n, student in enumerate(students):
        orders = {i["item"]: i["order"] for i in key["students"][student]["items"]}

        def single(item: dict, n: int = n, orders: dict = orders) -> int:
            q = key["questions"][item["item"]]["question"]
            right = orders[item["item"]].index(q["answer"])
            return right if n % 2 else (right + 1) % len(orders[item["item"]])

        picks = {
            "single": single,
            "true_false": n > 1,
            "numeric": "12" if n > 2 else "7",
            "fill": "cpu" if n > 3 else "gpu",
        }
        shutil.copy(answer_all(out / f"{student}.exam", tmp_path / f"d{n}", picks), answers)
    results = tmp_path / "results"
    done = run_grader(
        "exam", "grade", str(out / "key.json"), str(answers), "--out", str(results), cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    return results / "analysis.html"


def test_analysis_html_renders(tmp_path: Path) -> None:
    """Through the shared browser support (tests/browser_support.py: Chromium's --dump-dom and
    --screenshot). Not the session's Playwright ``browser`` fixture: its event loop stays on the
    main thread for the rest of the session, and every later ``asyncio.run`` (the app's Pilot
    tests) then fails."""
    page_path = _graded(tmp_path)
    html = page_path.read_text(encoding="utf-8")
    assert "<script" not in html and not re.search(r"(src|href)=\"https?:", html)
    dom = dump_dom(page_path)
    # α is computed over the items everyone saw, the pending short answer left out.
    assert re.search(r"α / KR-20 -?\d\.\d\d", dom), "alpha is reported"
    assert re.search(r'<svg id="score-histogram"[^>]*>.*?<rect class="bar"', dom, re.S)
    scatter = dom.split('<svg id="facility-discrimination"', 1)[1].split("</svg>", 1)[0]
    points = set(re.findall(r'class="item-point" data-item="(Q\d\d)"', scatter))
    key = load(tmp_path / "exam" / "key.json")
    short = {k for k, e in key["questions"].items() if e["question"]["type"] == "short"}
    # Every item but the short answer, which awaits manual grading (so has no data yet).
    assert points == {f"Q{k:02d}" for k in range(1, 9)} - short and short
    labels = set(re.findall(r'class="item-label"[^>]*>(Q\d\d)<', scatter))
    assert labels, "flagged items are labelled in the scatter"
    bars = set(re.findall(r'<svg class="option-bars" data-item="(Q\d\d)"', dom))
    choice = {
        label
        for label, e in key["questions"].items()
        if e["question"]["type"] == "single"
        or (e["question"]["type"] == "code_output" and e["question"].get("options"))
    }
    assert bars == choice and bars
    shot = screenshot(page_path, artifact("exam-analysis.png"), size=(1000, 900))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
