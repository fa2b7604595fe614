"""The GitHub Actions template, run locally the way a runner runs it (act-style, without GitHub).

`grader ci-kit` pins a wheel built in the test into a grading repository made of the mini course
and a roster; student repositories are local git repositories served by file:// URLs. Each job's
steps then run in order: `run:` scripts with bash (`-eo pipefail`, as GitHub does) and their
`env:` expressions evaluated, the `uses:` steps the workflow relies on (checkout, setup-python,
upload and download of artifacts) played by the test. pip installs the pinned wheel into a fresh
venv with no index reachable: the grader's dependencies are visible to that venv, the grader is
not. Nothing here needs the network.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from ci_support import ROOT, make_user_venv, offline_env, run_step
from junitparser import JUnitXml

WORKFLOW = ROOT / "templates" / "github-actions" / "grade-class.yml"
MINI = ROOT / "tests" / "data" / "course-mini"
SUBS = ROOT / "tests" / "data" / "submissions" / "add-one"
EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def _load(path: Path) -> dict[str, Any]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["on"] = doc.pop(True)  # YAML 1.1 reads the key `on` as True
    return doc


def _install_step(workflow: dict[str, Any]) -> dict[str, Any]:
    """The grade job's step that checks and installs the pinned grader."""
    steps = workflow["jobs"]["grade"]["steps"]
    return next(s for s in steps if s.get("name", "").startswith("Install the pinned grader"))


def _lookup(path: str, ctx: dict[str, Any]) -> Any:
    value: Any = ctx
    for part in path.split("."):
        value = value[part] if isinstance(value, dict) else None
    return value


def evaluate(expr: str, ctx: dict[str, Any]) -> Any:
    """The few expression forms the workflow uses; anything else fails the test."""
    if "||" in expr:
        for option in expr.split("||"):
            value = evaluate(option.strip(), ctx)
            if value:
                return value
        return value
    if m := re.fullmatch(r"toJSON\((.+)\)", expr):
        return json.dumps(evaluate(m.group(1), ctx))
    if m := re.fullmatch(r"fromJSON\((.+)\)", expr):
        return json.loads(evaluate(m.group(1), ctx))
    if re.fullmatch(r"(env|inputs|secrets|matrix|github|steps|needs)(\.[\w-]+)+", expr):
        return _lookup(expr, ctx)
    raise AssertionError(f"the test runner does not know the expression {expr!r}")


def substitute(text: str, ctx: dict[str, Any]) -> str:
    def one(m: re.Match[str]) -> str:
        value = evaluate(m.group(1), ctx)
        return value if isinstance(value, str) else json.dumps(value)

    return EXPR.sub(one, text)


class Runner:
    """Runs a job's steps in the grading repository, as a GitHub runner would."""

    def __init__(self, repo: Path, bin_dir: Path, ctx: dict[str, Any], artifacts: Path) -> None:
        self.repo, self.bin_dir, self.ctx, self.artifacts = repo, bin_dir, ctx, artifacts
        self.summary = repo.parent / "step_summary.md"

    def run_job(self, job: dict[str, Any], matrix: dict[str, Any] | None = None) -> dict:
        ctx = {**self.ctx, "matrix": matrix or {}, "steps": {}}
        workflow_env = {k: substitute(str(v), ctx) for k, v in self.ctx["workflow_env"].items()}
        ctx["env"] = workflow_env
        failed = False
        outcomes = []
        for step in job["steps"]:
            if failed and step.get("if") != "always()":
                continue
            if "uses" in step:
                self._uses(step, ctx)
                outcomes.append((step.get("name", step["uses"]), 0, ""))
                continue
            out_file = self.repo.parent / f"output-{step.get('id', 'x')}"
            out_file.write_text("", encoding="utf-8")
            env = offline_env(self.bin_dir)
            env.update(workflow_env)
            env.update({k: substitute(str(v), ctx) for k, v in (step.get("env") or {}).items()})
            env.update(GITHUB_OUTPUT=str(out_file), GITHUB_STEP_SUMMARY=str(self.summary))
            assert "${{" not in step["run"], f"{step.get('name')}: an expression inside run:"
            proc = run_step(step["run"], self.repo, env)
            outcomes.append((step.get("name"), proc.returncode, proc.stdout + proc.stderr))
            if "id" in step:
                lines = out_file.read_text(encoding="utf-8").splitlines()
                ctx["steps"][step["id"]] = {"outputs": dict(ln.split("=", 1) for ln in lines)}
            failed = failed or proc.returncode != 0
        outputs = {k: substitute(str(v), ctx) for k, v in (job.get("outputs") or {}).items()}
        return {"failed": failed, "steps": outcomes, "outputs": outputs}

    def _uses(self, step: dict[str, Any], ctx: dict[str, Any]) -> None:
        action, args = step["uses"].split("@")[0], step.get("with") or {}
        if action in ("actions/checkout", "actions/setup-python"):
            return  # the grading repository is the working folder; the venv is the Python
        if action == "actions/upload-artifact":
            name = substitute(args["name"], ctx)
            source = self.repo / args["path"]
            if source.exists():
                shutil.copytree(source, self.artifacts / name, dirs_exist_ok=True)
            return
        if action == "actions/download-artifact":
            pattern = args["pattern"].replace("*", "")
            for art in sorted(self.artifacts.iterdir()):
                if art.name.startswith(pattern):
                    shutil.copytree(art, self.repo / args["path"] / art.name)
            return
        raise AssertionError(f"the test runner does not play {action}")


def _git(*args: str, cwd: Path) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "s",
        "GIT_AUTHOR_EMAIL": "s@example.invalid",
        "GIT_COMMITTER_NAME": "s",
        "GIT_COMMITTER_EMAIL": "s@example.invalid",
    }
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def _student_repo(server: Path, name: str, files: dict[str, Path]) -> None:
    repo = server / "org" / name
    repo.mkdir(parents=True)
    _git("init", "-q", "-b", "main", cwd=repo)
    for rel, src in files.items():
        shutil.copyfile(src, repo / rel)
    (repo / "README.md").write_text("homework\n")
    _git("add", ".", cwd=repo)
    _git("commit", "-q", "-m", "submit", cwd=repo)


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory, grader_wheel, deps_view) -> dict[str, Any]:
    """A class of five in shards of three, graded end to end by the template's jobs."""
    top = tmp_path_factory.mktemp("gha")
    repo, server, artifacts = top / "grading", top / "server", top / "artifacts"
    repo.mkdir()
    artifacts.mkdir()
    shutil.copytree(MINI / "exercises", repo / "course" / "exercises")
    students = {
        "alice": {"add-one.py": SUBS / "correct.py"},
        "bob": {"add-one.py": SUBS / "wrong_value.py"},
        "张三": {"add-one.py": SUBS / "crash.py"},
        "dan": {"notes.py": SUBS / "correct.py"},  # no add-one.py: missing
    }
    for name, files in students.items():
        _student_repo(server, "hw-" + ("zhang" if name == "张三" else name), files)
    with (repo / "students.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["student", "repository", "ref"])
        for name in students:
            writer.writerow([name, "org/hw-" + ("zhang" if name == "张三" else name), "main"])
            if name == "bob":  # cannot be fetched; in a shard with a student who can
                writer.writerow(["eve", "org/hw-eve-never-created", ""])
    bin_dir = make_user_venv(top / "venv", deps_view)
    # The instructor pins the grader they use (here: the wheel built for the test).
    pin = subprocess.run(
        ["grader", "ci-kit", str(repo), "--wheel", str(grader_wheel), "--students-per-job", "3"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert pin.returncode == 0, pin.stderr
    workflow = _load(repo / ".github" / "workflows" / "grade-class.yml")
    ctx: dict[str, Any] = {
        "inputs": {"exercise": "add-one", "ref": ""},
        "secrets": {"STUDENT_REPOS_TOKEN": "not-a-real-token"},
        "github": {"server_url": f"file://{server}"},
        "workflow_env": workflow["env"],
    }
    runner = Runner(repo, bin_dir, ctx, artifacts)
    plan = runner.run_job(workflow["jobs"]["plan"])
    assert not plan["failed"], plan["steps"]
    ctx["needs"] = {"plan": {"outputs": plan["outputs"]}}
    matrix_expr = EXPR.fullmatch(workflow["jobs"]["grade"]["strategy"]["matrix"]["shard"])
    assert matrix_expr is not None
    shards = evaluate(matrix_expr.group(1), ctx)
    grades = []
    for shard in shards:
        shard_repo = top / f"runner-{shard['index']}" / "grading"
        shutil.copytree(repo, shard_repo)  # every job gets a fresh checkout
        job_runner = Runner(shard_repo, bin_dir, ctx, artifacts)
        grades.append(job_runner.run_job(workflow["jobs"]["grade"], {"shard": shard}))
    merge_repo = top / "runner-merge" / "grading"
    shutil.copytree(repo, merge_repo)
    merged = Runner(merge_repo, bin_dir, ctx, artifacts).run_job(workflow["jobs"]["gradebook"])
    return {
        "workflow": workflow,
        "repo": repo,
        "plan": plan,
        "shards": shards,
        "grades": grades,
        "merged": merged,
        "merge_repo": merge_repo,
        "artifacts": artifacts,
    }


def test_the_grader_is_installed_only_from_the_pinned_wheel(graded_class):
    """The workflow installs the wheel ci-kit wrote, checked by its sha256; no index name."""
    workflow, repo = graded_class["workflow"], graded_class["repo"]
    env = workflow["env"]
    wheel = repo / env["GRADER_WHEEL"]
    assert wheel.is_file() and re.fullmatch(r"[0-9a-f]{64}", env["GRADER_WHEEL_SHA256"])
    sha_line = (wheel.parent / (wheel.name + ".sha256")).read_text().split()
    assert sha_line == [env["GRADER_WHEEL_SHA256"], wheel.name]
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            for line in step.get("run", "").splitlines():
                if "pip install" in line:
                    assert '"$TORCH_SPEC" --index-url https://download.pytorch.org' in line or (
                        line.strip() == 'python -m pip install "$GRADER_WHEEL"'
                    ), line
    assert "torch-grader" not in WORKFLOW.read_text(encoding="utf-8")


def test_a_tampered_wheel_is_refused(graded_class, tmp_path):
    """The install step fails when the wheel is not the one pinned, before pip runs."""
    repo = tmp_path / "grading"
    shutil.copytree(graded_class["repo"], repo)
    wheel = repo / graded_class["workflow"]["env"]["GRADER_WHEEL"]
    wheel.write_bytes(wheel.read_bytes() + b"\0")
    install = _install_step(graded_class["workflow"])
    env = {**offline_env(tmp_path / "no-venv" / "bin"), **graded_class["workflow"]["env"]}
    proc = run_step(install["run"], repo, env)
    assert proc.returncode != 0
    assert "FAILED" in proc.stdout + proc.stderr
    assert "Processing" not in proc.stdout and "Installing" not in proc.stdout  # pip never ran


def test_the_template_as_written_says_to_pin_first(tmp_path):
    """Unpinned (the file as shipped), the install step stops with what to do."""
    workflow = _load(WORKFLOW)
    install = _install_step(workflow)
    env = {**os.environ, **{k: str(v) for k, v in workflow["env"].items()}}
    proc = run_step(install["run"], tmp_path, env)
    assert proc.returncode == 1 and "grader ci-kit ." in proc.stdout


def test_the_roster_is_sharded_under_the_matrix_cap(graded_class):
    """Five students in jobs of three: two jobs, every student in exactly one."""
    shards = graded_class["shards"]
    assert [s["index"] for s in shards] == [0, 1]
    assert [len(s["students"]) for s in shards] == [3, 2]
    names = [st["name"] for s in shards for st in s["students"]]
    assert sorted(names) == sorted(["alice", "bob", "张三", "dan", "eve"])
    for job in graded_class["grades"]:
        assert not job["failed"], job["steps"]
        grade_steps = [s for s in job["steps"] if s[0] and s[0].startswith("Grade the shard")]
        assert len(grade_steps) == 1  # one grading run per shard writes JSON and JUnit


def test_one_gradebook_with_batch_statuses(graded_class):
    """The merged gradebook has every student once, with batch's statuses; the unreachable
    repository and the missing file are rows, not silence."""
    merged, out = graded_class["merged"], graded_class["merge_repo"] / "gradebook"
    assert not merged["failed"], merged["steps"]
    raw = (out / "gradebook.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = {r["student"]: r for r in csv.DictReader(raw.decode("utf-8-sig").splitlines())}
    got = {name: (r["score"], r["status"]) for name, r in rows.items()}
    assert got == {
        "alice": ("4", "full"),
        "bob": ("1", "partial"),
        "张三": ("0", "error"),
        "dan": ("0", "missing"),
        "eve": ("0", "missing"),
    }
    suites = {s.name for s in JUnitXml.fromfile(str(out / "junit.xml"))}
    assert suites == {f"{name}/add-one" for name in rows}
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["exercises"]["add-one"]["mean"] == 1.0  # (4 + 1 + 0 + 0 + 0) / 5
    assert (graded_class["artifacts"] / "shard-0" / "alice" / "add-one.json").is_file()


def test_the_sandbox_report_is_an_artefact(graded_class):
    """Each grading job uploads `grader doctor --format json`, so the instructor sees the
    runner's layers after the first run."""
    report = json.loads(
        (graded_class["artifacts"] / "doctor-0" / "doctor-0.json").read_text(encoding="utf-8")
    )
    assert {layer["name"] for layer in report["layers"]} >= {"seccomp", "landlock-fs"}
    assert "essential_complete" in report


def test_no_expression_is_evaluated_inside_a_script():
    """Inputs reach scripts through env: only, so a repository name cannot inject shell."""
    workflow = _load(WORKFLOW)
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            assert "${{" not in step.get("run", ""), step.get("name")


def test_the_roster_refuses_refs_that_git_would_read_as_options(tmp_path):
    """A ref such as `--upload-pack=x` in students.csv stops the plan with its line number."""
    workflow = _load(WORKFLOW)
    (tmp_path / "students.csv").write_text(
        "student,repository,ref\nann,org/hw-ann,main\nben,org/hw-ben,--upload-pack=touch\n",
        encoding="utf-8",
    )
    step = next(s for s in workflow["jobs"]["plan"]["steps"] if s.get("id") == "plan")
    env = {**os.environ, **{k: str(v) for k, v in workflow["env"].items()}}
    env["GITHUB_OUTPUT"] = str(tmp_path / "out")
    proc = run_step(step["run"], tmp_path, env)
    assert proc.returncode != 0 and "students.csv:3: unsafe ref" in proc.stderr


def test_grading_the_bundled_exercises_is_an_annotation(tmp_path):
    """A grading repository without course/exercises grades the bundled exercises: the run shows
    a warning annotation that says students can read those checks."""
    workflow = _load(WORKFLOW)
    step = next(
        s for s in workflow["jobs"]["grade"]["steps"] if s.get("name") == "Check the course"
    )
    (tmp_path / "course").mkdir()
    proc = run_step(step["run"], tmp_path, dict(os.environ))
    assert proc.returncode == 0
    assert proc.stdout.startswith("::warning::") and "can read these hidden checks" in proc.stdout
    (tmp_path / "course" / "exercises").mkdir()
    assert run_step(step["run"], tmp_path, dict(os.environ)).stdout == ""
