"""Benchmark: loading question banks of 1,000 and 10,000 questions.

Generates realistic bilingual banks (every question type, Markdown prompts with code, Chinese and
English explanations of a few sentences) in a temporary folder, then measures, per size, the best
of ``--repeat`` runs of:

- yaml.load: PyYAML with libyaml's ``CSafeLoader`` over every file: the floor any YAML loader pays;
- parse: the engine's own parse (libyaml compose + core-schema constructor, keeping the node tree
  for line numbers);
- validate: pydantic validation of every question plus the cross-field rules, on parsed data;
  ``validate/parse`` is the validation overhead as a ratio of the parse cost;
- cold: ``load_banks`` with an empty cache (read, parse, validate, write the cache), and the cost
  per question;
- warm: ``load_banks`` again, served from the content-hash cache (ids, types, lines, titles);
- warm+models: the same, then building every question's pydantic model (what a quiz over all
  banks needs; a quiz over one bank builds only that bank's models).

Run: ``python benchmarks/bank_load.py`` (``--sizes 1000 10000``, ``--repeat 5``).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

try:
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as Loader  # type: ignore[assignment]

QUESTIONS_PER_FILE = 100

_ZH_WORDS = (
    "张量 梯度 反向传播 计算图 叶子节点 优化器 学习率 损失函数 批量 数据加载器 模块 参数 "
    "设备 形状 广播 视图 内存 连续 求导 权重 偏置 激活函数 正则化 训练 推理 模型 数据集"
).split()
_EN_WORDS = (
    "tensor gradient backward graph leaf optimizer learning rate loss batch loader module "
    "parameter device shape broadcasting view memory contiguous autograd weight bias activation "
    "regularisation training inference model dataset"
).split()
_CODE = [
    "x = torch.ones(2, 3, requires_grad=True)",
    "y = (x * 2).sum()",
    "y.backward()",
    "print(x.grad.shape)",
    "z = torch.arange(6).view(2, 3)",
    "print(z.t().is_contiguous())",
]


def _zh(rng: random.Random, n: int) -> str:
    words = [rng.choice(_ZH_WORDS) for _ in range(n)]
    return "在 PyTorch 中，" + "的".join(words) + "会怎样？调用 `loss.backward()` 之后呢？"


def _en(rng: random.Random, n: int) -> str:
    words = " ".join(rng.choice(_EN_WORDS) for _ in range(n))
    return f"In PyTorch, what happens to the {words} after calling `loss.backward()`?"


def _text(rng: random.Random, n: int, indent: str) -> str:
    return f"\n{indent}  zh: {_zh(rng, n)}\n{indent}  en: {_en(rng, n)}"


def _question(rng: random.Random, bank: str, i: int) -> str:
    qtype = (
        "single",
        "multiple",
        "true_false",
        "fill",
        "numeric",
        "order",
        "code_output",
        "short",
    )[i % 8]
    ind = "    "
    lines = [
        f"  - id: {bank}-q{i:05d}",
        f"    type: {qtype}",
        f"    difficulty: {rng.randint(1, 5)}",
        f"    tags: [{rng.choice(_EN_WORDS)}, {'misconception' if i % 5 == 0 else 'basics'}]",
        f"    source: 00{i % 5} Q{i % 10 + 1}",
        f"    prompt:{_text(rng, 8, ind)}",
    ]
    if i % 3 == 0:
        lines.append(f"    hint:{_text(rng, 4, ind)}")
    if qtype in ("single", "multiple", "order"):
        lines.append("    options:")
        for k in range(4):
            lines.append(f"      - zh: 选项 {k}：{_zh(rng, 2)}")
            lines.append(f"        en: option {k} - {_en(rng, 3)}")
    if qtype == "single":
        lines.append(f"    answer: {rng.randrange(4)}")
    elif qtype == "multiple":
        lines += ["    answer: [0, 2]", "    partial_credit: true"]
    elif qtype == "true_false":
        lines.append(f"    answer: {rng.choice(['true', 'false'])}")
    elif qtype == "fill":
        lines += ["    answer: [x.grad, 'x.grad()']", "    regex: 'x ?\\.grad'"]
    elif qtype == "numeric":
        lines += ["    answer: 0.5", "    tolerance: 0.01", "    rel_tolerance: 1e-3"]
    elif qtype == "code_output":
        lines.append("    code: |")
        lines += [f"      {c}" for c in rng.sample(_CODE, 4)]
        lines += [
            '    answer: "torch.Size([2, 3])"',
            "    options:",
            '      - "torch.Size([2, 3])"',
            '      - "torch.Size([3, 2])"',
        ]
    elif qtype == "short":
        lines.append(f"    reference:{_text(rng, 10, ind)}")
        lines.append("    key_points:")
        for _ in range(2):
            lines.append(f"      - zh: {_zh(rng, 2)}")
            lines.append(f"        en: {_en(rng, 2)}")
    lines.append(f"    explanation:{_text(rng, 20, ind)}")
    return "\n".join(lines)


def generate(folder: Path, total: int, seed: int = 0) -> list[Path]:
    """Write ``total`` questions as bank files of ``QUESTIONS_PER_FILE`` into ``folder``."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for f in range(max(1, total // QUESTIONS_PER_FILE)):
        bank = f"bench{f:03d}"
        body = "\n".join(_question(rng, bank, i) for i in range(QUESTIONS_PER_FILE))
        text = (
            f"bank: {bank}\ntitle: {{zh: 基准 {f}, en: Benchmark {f}}}\n"
            f"description:\n  zh: 生成的题库\n  en: A generated bank\nquestions:\n{body}\n"
        )
        path = folder / f"{bank}.yaml"
        path.write_text(text, encoding="utf-8")
        files.append(path)
    return files


def _best(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def measure(folder: Path, files: list[Path], size: int, repeat: int) -> dict[str, float]:
    """Best-of-``repeat`` timings (seconds) of every stage for the banks in ``folder``."""
    from grader.bank import cache
    from grader.bank.bankfile import QUESTION_ADAPTER
    from grader.bank.loader import load_banks
    from grader.bank.rules import check_question
    from grader.bank.source import parse

    texts = [p.read_text(encoding="utf-8") for p in files]

    def yaml_load() -> None:
        for p in files:
            yaml.load(p.read_bytes(), Loader=Loader)

    def engine_parse() -> None:
        for text in texts:
            parse(text)

    def validate(items: list[dict[str, object]]) -> None:
        for item in items:
            check_question(QUESTION_ADAPTER.validate_python(item))

    def cold() -> None:
        entries = cache.cache_dir()
        if entries is not None and entries.is_dir():
            for entry in entries.iterdir():
                entry.unlink()
        result = load_banks([folder])
        assert result.ok and sum(len(b.info) for b in result.banks) == size, result.problems[:3]

    def warm() -> None:
        result = load_banks([folder])
        assert sum(len(b.info) for b in result.banks) == size

    def warm_models() -> None:
        result = load_banks([folder])
        assert len(result.questions()) == size

    # Nothing big stays alive between measurements: the garbage collector walks every live
    # object, so a benchmark holding parsed banks would slow down whatever it measures next.
    times = {"yaml": _best(yaml_load, repeat), "parse": _best(engine_parse, repeat)}
    cold()  # fills the cache for the warm runs
    times["cold"] = _best(cold, repeat)
    times["warm"] = _best(warm, repeat)
    times["warm_models"] = _best(warm_models, repeat)
    items = [q for t in texts for q in parse(t)[0].data["questions"]]  # type: ignore[union-attr]
    times["validate"] = _best(lambda: validate(items), repeat)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=5, help="best of N for each timing")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["GRADER_CACHE_DIR"] = str(Path(tmp) / "cache")
        from grader.bank.source import LIBYAML

        print(f"libyaml: {LIBYAML}; python {sys.version.split()[0]}; best of {args.repeat}")
        columns = (
            ("questions", 9), ("MB", 5), ("yaml.load s", 11), ("MB/s", 5), ("parse s", 7),
            ("validate s", 10), ("validate/parse", 14), ("cold s", 6), ("us/q", 4),
            ("warm s", 6), ("warm+models s", 13),
        )  # fmt: skip
        print(" ".join(f"{name:>{width}}" for name, width in columns))
        for size in args.sizes:
            folder = Path(tmp) / f"banks-{size}"
            files = generate(folder, size)
            mb = sum(p.stat().st_size for p in files) / 1e6
            t = measure(folder, files, size, args.repeat)
            values = (
                f"{size}", f"{mb:.1f}", f"{t['yaml']:.3f}", f"{mb / t['yaml']:.1f}",
                f"{t['parse']:.3f}", f"{t['validate']:.3f}", f"{t['validate'] / t['parse']:.0%}",
                f"{t['cold']:.3f}", f"{t['cold'] / size * 1e6:.0f}", f"{t['warm']:.3f}",
                f"{t['warm_models']:.3f}",
            )  # fmt: skip
            print(" ".join(f"{v:>{w}}" for v, (_, w) in zip(values, columns, strict=True)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
