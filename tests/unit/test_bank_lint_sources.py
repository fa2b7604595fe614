"""The seed-citation lint: citations of the seed notes are found; PyTorch's seeds are not."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.bank.lint import lint_bank_file
from grader.bank.lint_sources import lint_sources

LINT = Path(__file__).resolve().parents[1] / "data" / "banks" / "lint"

CITATIONS = [
    ("The seed's example moves the model.", "The seed's"),
    ("As the seed says, it works.", "the seed says"),
    ("The seed lists five steps.", "The seed lists"),
    ("(after seed 003, question 16)", "seed 003"),
    ("In the terminology the seed notes use", "the seed notes"),
    ("Using the seed tutorial's `SimpleNN`", "seed tutorial"),
    ("exactly as the seed does", "as the seed does"),
    ("Another seed calls backpropagation a method.", "Another seed calls"),
    ("according to the seed, it is slow", "according to the seed"),
    ("the steps described in the seed in order", "described in the seed"),
    ("the seeds' claims", "the seeds'"),
    ("种子文档 004 说 PyTorch 很慢。", "种子文档"),
    ("使用种子中的 `MyDataset`，输出什么？", "种子中"),
    ("种子说“可以增加数据量”。", "种子说"),
    ("种子第 11 步说", "种子第"),
    ("种子的 `train(epoch)` 先调用", "种子的 "),
    ("按种子 MNIST 网络的顺序", "种子 MNIST"),
    ("可以像种子所说那样调用", "种子所说"),
    ("另一份种子把反向传播称为方法", "种子把"),
    ("种子 000 的 MNIST 代码", "种子 000"),
    ("Per the seed material, it is slow.", "seed material"),
    ("the seed materials list three", "seed materials"),
    ("see the seed-notes", "seed-notes"),
    ("the seed slides show it", "seed slides"),
    ("the seed write-up", "seed write-up"),
    ("This line is taken from the seeds.", "from the seeds"),
    ("per the seed, it is slow", "per the seed"),
    ("种子材料里说它很慢", "种子材料"),
    ("种子笔记说", "种子笔记"),
    ("种子内容有误", "种子内容"),
    ("种子素材中的例子", "种子素材"),
    ("种子手册第二章", "种子手册"),
    ("像种子讲的那样", "种子讲"),
    ("As the seed material explains, it is slow.", "seed material"),
    ("per the seed, call it twice", "per the seed"),
    ("the seed handout's figure", "seed handout"),
    ("see the seed slides", "seed slides"),
    ("种子材料里写的是旧写法", "种子材料"),
    ("按种子内容的顺序", "种子内容"),
]

VOCABULARY = [
    "Call `torch.manual_seed(0)` first.",
    "torch.manual_seed(0) seeds every device.",
    "Set a random seed for reproducibility.",
    "Random seeds need care in workers.",
    "Seed the workers with worker_init_fn.",
    "A reproducible experiment usually seeds all three.",
    "(The seed is fixed; the first line lists the values.)",
    "Fix the seeds and save a checkpoint.",
    "np.random.seed(0) seeds NumPy only.",
    "Each worker's seed is base_seed + worker_id.",
    "With the same seed you get the same numbers.",
    "the seed used by each worker",
    "Setting the seed gives reproducible results.",
    "the random seed's value",
    "worker_init_fn seeding keeps NumPy apart",
    "read it back with initial_seed()",
    "see https://example.com/the-seed-says and `the seed says`",
    "随机种子已固定",
    "固定随机种子，保存检查点",
    "给它们设种子不影响 `torch.rand`",
    "所有设备上的生成器）设置种子。",
    "每个工作进程的随机种子需要用 `worker_init_fn` 设置",
    "随机数种子也需要注意",
    "把种子设为 42，用种子 42 初始化生成器",
    "种子用于初始化随机数生成器，种子值相同时结果相同",
    "相同的种子给出相同的序列",
    "`np.random.seed(0)` 只设置 NumPy 的种子",
    "先设置随机种子 `torch.manual_seed(0)`，再创建模型",
    "固定种子 `seed=0` 之后，随机种子的 `generator` 参数也要传",
    "Read the seed back with `torch.initial_seed()` or initial_seed().",
    "A seed value per worker; the seed sequence of NumPy is separate.",
    "from the seed value, per the seed (0) given",
    "设置种子并记录下来，设置种子后再创建模型",
    "种子值相同，种子序列与种子生成器也相同",
    "把种子记录下来；种子表示生成器的初始状态，种子要求是整数，种子给出相同的序列",
    "the seed value decides the numbers",
    "set the seed per worker",
    "random seed material for a generator",
    "随机种子的来源是 `torch.initial_seed()`",
    "设置种子文件名无关",
]


@pytest.mark.parametrize(("text", "cited"), CITATIONS, ids=[c for _, c in CITATIONS])
def test_citations_are_found(text: str, cited: str) -> None:
    """Each way of citing the seed notes is reported, quoting what cites them."""
    (found,) = lint_sources(text)
    index, message = found
    assert message.startswith(f"'{cited.rstrip()}' cites the seed notes")
    assert text[index:].startswith(cited.rstrip())


@pytest.mark.parametrize("text", VOCABULARY)
def test_pytorch_seed_vocabulary_is_not_a_citation(text: str) -> None:
    """Random seeds, `manual_seed`, seeding workers, 随机种子: PyTorch's own words stay legal
    (code spans and URLs are not read at all)."""
    assert lint_sources(text) == []


def test_citation_fixture_bank() -> None:
    """A real bank file: every citation at its line with its question id and field; the
    question made of PyTorch's seed vocabulary has none."""
    problems = lint_bank_file(LINT / "citations.yaml")
    assert [(p.line, p.id, p.message.split(":")[0]) for p in problems] == [
        (10, "cite-en-forms", "prompt (en)"),
        (10, "cite-en-forms", "prompt (en)"),
        (14, "cite-en-forms", "explanation (en)"),
        (14, "cite-en-forms", "explanation (en)"),
        (14, "cite-en-forms", "explanation (en)"),
        (21, "cite-zh-forms", "prompt (zh)"),
        (21, "cite-zh-forms", "prompt (zh)"),
        (25, "cite-zh-forms", "explanation (zh)"),
    ]
    assert "learners never see" in problems[0].message


def test_citations_are_reported_with_typography_off() -> None:
    """Turning typography off does not turn the citation lint off."""
    assert len(lint_bank_file(LINT / "citations.yaml", typography=False)) == 8
