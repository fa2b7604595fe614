"""Verify blocks and the claims rule, as a user meets them: `grader verify` and `grader validate`
in a subprocess, on the bank files in tests/data/banks/claims.

`run/` holds the four errors an independent review found in the bundled banks, once as the banks
made them (`wrong.yaml`: each block must fail) and once corrected (`corrected.yaml`: each must
pass), and a block of every outcome (`mechanism.yaml`). All three run in ONE `grader verify` call
(one warm interpreter per run, as for the bundled banks), shared by the tests below. `lint/`
holds what `grader validate` must say about the rule and about malformed blocks (no torch).
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from cli_support import run_grader

REPO = Path(__file__).resolve().parents[2]
CLAIMS = REPO / "tests" / "data" / "banks" / "claims"
RUN = CLAIMS / "run"
LINT = CLAIMS / "lint"
_LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): (?P<id>[^:]+): (?P<message>.*)$")


def _run(
    *args: str, cwd: Path, cache: Path, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return run_grader(*args, cwd=cwd, env={"GRADER_CACHE_DIR": str(cache)}, timeout=timeout)


def _block_line(path: Path, claim: str) -> int:
    """The line of the verify block labelled ``claim`` (its ``- claim:`` line)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found = [i for i, text in enumerate(lines, 1) if text.strip() == f"- claim: {claim}"]
    assert len(found) == 1, claim
    return found[0]


@pytest.fixture(scope="module")
def verified(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, list[str], str]:
    """`grader verify tests/data/banks/claims/run`: exit status, problem lines, summary."""
    cache = tmp_path_factory.mktemp("cache")
    done = _run(
        "verify", "tests/data/banks/claims/run", "--no-exercises", "--no-variants",
        cwd=REPO, cache=cache, timeout=300,
    )  # fmt: skip
    return done.returncode, done.stdout.splitlines(), done.stderr


def _problems(verified: tuple[int, list[str], str], qid: str) -> list[str]:
    return [line for line in verified[1] if f": {qid}: " in line]


def test_the_corrected_claims_pass(verified: tuple[int, list[str], str]) -> None:
    """The corrections of the four errors, as blocks: no problem (the NASNet one is skipped
    without torchvision, tested below)."""
    assert [line for line in verified[1] if ": corrected-" in line] == []


def test_the_old_detach_claims_fail(verified: tuple[int, list[str], str]) -> None:
    """'Writes through detach() bypass autograd's checks, gradients go silently wrong': the
    version counter moves, and backward raises instead of giving the wrong gradient."""
    path = RUN / "wrong.yaml"
    bypass = _block_line(
        path, "writes through detach() bypass autograd's checks (the version stays 0)"
    )
    silent = _block_line(
        path, "a saved value changed through detach() gives a silently wrong gradient"
    )
    assert _problems(verified, "wrong-detach") == [
        f"tests/data/banks/claims/run/wrong.yaml:{bypass}: wrong-detach: verify[0]: expected '0' "
        "got '1'",
        f"tests/data/banks/claims/run/wrong.yaml:{silent}: wrong-detach: verify[1]: expected "
        "'tensor([10.,  2.,  2.])' got an exception: RuntimeError: one of the variables needed "
        "for gradient computation has been modified by an inplace operation: "
        "[torch.FloatTensor [3]] is at version 1; expected version 0 instead. Hint: enable "
        "anomaly detection to find the operation that failed to compute its gradient, with "
        "torch.autograd.set_detect_anomaly(True, check_nan=False).",
    ]


def test_the_old_hook_claim_fails(verified: tuple[int, list[str], str]) -> None:
    """'Storing output.detach() protects backward from later in-place changes': it raises."""
    line = _block_line(
        RUN / "wrong.yaml",
        "later in-place changes to output.detach() cannot interfere with backward",
    )
    (problem,) = _problems(verified, "wrong-hook")
    assert problem.startswith(
        f"tests/data/banks/claims/run/wrong.yaml:{line}: wrong-hook: verify[0]: expected "
        "'backward ran' got an exception: RuntimeError: one of the variables needed for gradient "
        "computation has been modified by an inplace operation: [torch.FloatTensor [5, 3]], "
        "which is output 0 of Relu"
    )


def test_the_old_ddp_order_fails_against_the_installed_docstring(
    verified: tuple[int, list[str], str],
) -> None:
    """No GPU here: the block checks the order in the installed torch's DDP docstring."""
    line = _block_line(
        RUN / "wrong.yaml", "the DDP docstring calls init_process_group before set_device"
    )
    assert _problems(verified, "wrong-ddp") == [
        f"tests/data/banks/claims/run/wrong.yaml:{line}: wrong-ddp: verify[0]: expected "
        "\"['init_process_group', 'torch.cuda.set_device']\" got "
        "\"['torch.cuda.set_device', 'init_process_group']\""
    ]


def test_the_nasnet_claims_are_skipped_without_torchvision(
    verified: tuple[int, list[str], str],
) -> None:
    """torchvision is not installed here: both NASNet blocks are skipped, not passed, and the
    summary says so. (Where torchvision is installed they run, and the wrong one fails.)"""
    if importlib.util.find_spec("torchvision") is not None:  # pragma: no cover
        pytest.skip("torchvision is installed: the blocks run")
    assert _problems(verified, "wrong-nasnet") == []
    assert (
        "3 verify blocks skipped (grader_tests_no_such_module, torchvision not installed)"
        in (verified[2])
    )


def test_a_missing_required_module_skips_the_block_and_runs_the_others(
    verified: tuple[int, list[str], str],
) -> None:
    """`requires` names a module that is not installed: skipped; the summary counts blocks,
    skips and the claim checked by reading."""
    summary = verified[2]
    assert "verified 1 code_output snippets and 23 verify blocks in 3 banks" in summary
    assert "1 claim checked by reading only (not run)" in summary
    assert verified[0] == 1


def test_each_outcome_of_a_block(verified: tuple[int, list[str], str]) -> None:
    """Right output, raises (with a match, a base class, a qualified name): no problem. Wrong
    output, wrong type, wrong message, nothing raised, raised instead of printing, output that
    differs between the runs: one problem each, at the block's line."""
    path = RUN / "mechanism.yaml"
    where = "tests/data/banks/claims/run/mechanism.yaml"
    mismatch = (
        "inconsistent tensor size, expected tensor [2] and src [3] to have the same number of "
        "elements, but got 2 and 3 elements respectively"
    )
    expected = [
        (1, "wrong output", "expected 'tensor(3.)' got 'tensor(2.)'"),
        (5, "wrong exception type", f"expected ValueError got RuntimeError: {mismatch}"),
        (
            6,
            "message does not match",
            f"expected RuntimeError matching 'shapes cannot be multiplied' got RuntimeError: "
            f"{mismatch}",
        ),
        (7, "raises nothing", "expected RuntimeError got no exception (output 'fine')"),
        (
            8,
            "output expected but it raises",
            f"expected 'tensor(2.)' got an exception: RuntimeError: {mismatch}",
        ),
    ]
    problems = _problems(verified, "mech-blocks")
    assert problems[:-1] == [
        f"{where}:{_block_line(path, claim)}: mech-blocks: verify[{i}]: {message}"
        for i, claim, message in expected
    ]
    match = _LINE.match(problems[-1])
    assert match is not None
    assert int(match["line"]) == _block_line(path, "output that differs between the two runs")
    assert match["message"].startswith("verify[9]: output differs between two runs")


def test_validate_reports_malformed_blocks_at_their_lines(tmp_path: Path) -> None:
    """Neither or both expectations, an expectation without code, a claim with nothing to back
    it, a bad regex, `match` without `raises`, a bad exception name, a misspelt key, a reference
    that is not a URL: each one a problem at its line; the questions are not served."""
    done = _run("validate", "tests/data/banks/claims/lint/malformed.yaml", cwd=REPO, cache=tmp_path)
    assert done.returncode == 1
    where = "tests/data/banks/claims/lint/malformed.yaml"
    assert done.stdout.splitlines() == [
        f"{where}:13: bad-shapes: verify[0] has neither 'output' nor 'raises': give exactly "
        "one, the expected output or the exception the code raises",
        f"{where}:14: bad-shapes: verify[1] has both 'output' and 'raises': give exactly one, "
        "the expected output or the exception the code raises",
        f"{where}:17: bad-shapes: verify[2] has 'output' but no 'code': add the code that it "
        "checks",
        f"{where}:18: bad-shapes: verify[3] needs 'code' and 'output' or 'raises'; a claim that "
        "cannot run here is declared with 'claim' and 'reference' (where it was read)",
        f"{where}:21: bad-shapes: verify[4]: invalid regex in 'match': missing ), unterminated "
        "subpattern at position 0",
        f"{where}:24: bad-shapes: verify[5]: 'match' needs 'raises'",
        f"{where}:35: bad-values: verify[0].raises must be an exception class name "
        "(RuntimeError, torch.OutOfMemoryError), got 'Runtime Error'",
        f"{where}:37: bad-values: unknown key 'outptu' in verify[1] (did you mean 'output'?)",
        f"{where}:39: bad-values: verify[2].reference must be a URL (https://...), got 'not a url'",
    ]
    assert done.stderr.strip() == "9 problems in 1 bank (0 questions), 0 exercises"


def test_the_rule_flags_claims_without_a_block(tmp_path: Path) -> None:
    """An error, in-place behaviour or memory sharing claimed in either language, with no block
    (or an empty list): a problem at the line of the claim. A question with a block, and words
    that only look like claims (raise `num_workers`, raise the learning rate, in place of, mean
    squared error, error messages, 报错信息, 报错堆栈): nothing."""
    done = _run("validate", "tests/data/banks/claims/lint/rule.yaml", cwd=REPO, cache=tmp_path)
    assert done.returncode == 1
    found = [_LINE.match(line) for line in done.stdout.splitlines()]
    assert all(found)
    assert [(int(m["line"]), m["id"]) for m in found if m] == [
        (14, "rule-en-error"),
        (23, "rule-zh-in-place"),
        (34, "rule-en-sharing"),
        (43, "rule-zh-sharing"),
        (53, "rule-empty-verify"),
    ]
    assert done.stdout.splitlines()[0] == (
        "tests/data/banks/claims/lint/rule.yaml:14: rule-en-error: explanation (en) claims an "
        "error ('RuntimeError') but the question has no 'verify' block: add one whose code shows "
        'it (questions/README.md, "Verified claims")'
    )
    assert "claims in-place behaviour ('原地')" in done.stdout
    assert "claims memory sharing ('shares memory')" in done.stdout
    assert "claims memory sharing ('不复制')" in done.stdout


def test_a_pending_bank_gets_warnings_that_do_not_fail(tmp_path: Path) -> None:
    """A bank listed in verify_pending.txt: the same findings as warnings, exit 0; a listed bank
    with nothing left to verify: a warning to take it off the list; a bad entry: a problem."""
    questions = tmp_path / "course" / "questions"
    questions.mkdir(parents=True)
    shutil.copy(LINT / "rule.yaml", questions / "drafts.yaml")
    finished = (LINT / "rule.yaml").read_text(encoding="utf-8").replace("claims-rule", "finished")
    finished = finished.replace("- id: rule-", "- id: finished-")
    kept = finished.split("  - id: finished-with-block")[1]
    (questions / "finished.yaml").write_text(
        finished.split("questions:\n")[0] + "questions:\n  - id: finished-with-block" + kept,
        encoding="utf-8",
    )
    (questions / "verify_pending.txt").write_text(
        "# being written\nclaims-rule\nfinished  # done now\nnot-written-yet\n", encoding="utf-8"
    )
    done = _run("validate", "questions", cwd=questions.parent, cache=tmp_path / "cache")
    assert done.returncode == 0, done.stdout
    lines = done.stdout.splitlines()
    assert len(lines) == 6
    assert lines[0].startswith(
        "questions/drafts.yaml:14: rule-en-error: warning: explanation (en) claims an error"
    )
    assert lines[-1] == (
        "questions/verify_pending.txt: -: warning: bank 'finished' is listed in "
        "questions/verify_pending.txt but every claim in it has a verify block: remove it from "
        "the list, so that the rule applies"
    )
    assert done.stderr.strip() == "ok: 2 banks (9 questions), 0 exercises; 6 warnings"

    (questions / "verify_pending.txt").write_text("claims-rule\nNot A Bank\n", encoding="utf-8")
    done = _run("validate", "questions", cwd=questions.parent, cache=tmp_path / "cache")
    assert done.returncode == 1
    assert done.stdout.splitlines()[0] == (
        "questions/verify_pending.txt:2: -: 'Not A Bank' is not a bank id (kebab-case, one per "
        "line)"
    )


ORIGINAL_BANKS = frozenset(
    "tensors dtype-shape-device broadcasting-indexing autograd modules layers losses optim data "
    "training saving gpu debugging transfer compression graphs ecosystem".split()
)
"""The 17 banks that existed when the rule came: every claim in them has its block."""


def test_the_bundled_pending_list_exempts_no_original_bank() -> None:
    """verify_pending.txt lists banks of the curriculum order only (a typo would exempt
    nothing, silently), and none of the original 17: for them the rule is an error."""
    from grader.validate import read_pending
    from grader.verify.coverage import BANK_ORDER

    listed, problems = read_pending(REPO / "questions" / "verify_pending.txt")
    assert problems == []
    assert listed <= set(BANK_ORDER)
    assert ORIGINAL_BANKS <= set(BANK_ORDER)
    assert not listed & ORIGINAL_BANKS
