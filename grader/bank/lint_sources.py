"""The source-citation lint: learner-facing text must not cite "the seed" notes.

The bundled questions were written from source notes ("seeds") that learners never see, so a
text saying "the seed's example" or "种子文档说" points at nothing; in any course such a citation
is meaningless to a learner. The patterns below name the seed as a *document*: its possessive
("the seed's"), the seed as the subject of a verb of saying ("the seed says/lists/claims"), a
numbered seed ("seed 003"), the seed as the source a text was taken from ("per the seed", "taken
from the seed"), and "seed" modifying a noun of written material. That last class is open-ended
("seed notes", "the seed material", "seed-notes", "seed slides", ...), so it is matched by the
kind of word rather than by a list of phrases: in English a noun for written or taught material,
alone, plural or hyphenated; in Chinese 种子 followed by a verb of saying (种子说, 种子讲的) or by a
two-character noun whose head (its last character, as Chinese compounds are head-final) is a
morpheme of written material: 料 (材料, 资料), 记 (笔记), 档 (文档), 文 (原文), 容 (内容), 材
(素材), 程 (教程), 义 (讲义), ... Its first character is any ideograph but a function word, so
种子并记下 ("seed, and note down") is not read as 种子 + 并记.

PyTorch's own vocabulary stays legal: random seeds, ``manual_seed`` (and ``np.random.seed``,
``initial_seed``: an identifier is one word), "seed the workers", "the seed is fixed", "the same
seed", ``worker_init_fn`` seeding, 随机种子, 设置种子, 固定种子, 种子值. Code spans, code blocks
and URLs are not read at all.
"""

from __future__ import annotations

import re

from grader.bank.prose import Prose

__all__ = ["lint_sources"]

_SAYING = (
    "says|said|say|lists|listed|list|mentions|mentioned|claims|claimed|recommends|recommended|"
    "calls|called|writes|wrote|describes|described|suggests|suggested|states|stated|explains|"
    "explained|shows|showed|puts|lowers|lowered|defines|defined|argues|asserts|advises|insists|"
    "implies|omits|forgets|confuses|mixes|notes"
)
_DOCUMENT = (
    # written or taught material, and what it is made of
    "notes?|docs?|documents?|documentation|texts?|files?|tutorials?|examples?|code|prose|"
    "materials?|contents?|sources?|write-?ups?|handouts?|slides?|lectures?|lessons?|courses?|"
    "pages?|passages?|paragraphs?|articles?|papers?|chapters?|readmes?|excerpts?|listings?|"
    "snippets?|scripts?|summar(?:y|ies)|outlines?|drafts?|manuals?|guides?|sheets?|transcripts?|"
    "quotes?|quotations?|wording|phrasing|authors?|sections?|questions?|answers?|claims?|terms|"
    "terminology|MNIST|net|network|model|version|heading"
)
_EN = re.compile(
    rf"""
    \bseeds?\s+0\d\d\b                                  # seed 003, seeds 001
    | \b(?:the\s+)?seed(?:['’]s|s['’])(?!\w)             # the seed's, the seeds'
    | \bseeds?(?:\s+|-)(?:{_DOCUMENT})\b                # seed notes, the seed material, seed-notes
    | \b(?:per|from)\s+the\s+seeds?\b(?!\s*[(\w])      # per the seed, taken from the seeds.
    | \b(?:the|a|another|one|this|that|each|every|which|what)\s+seeds?\s+(?:{_SAYING})\b
    | \bas\s+the\s+seeds?\s+(?:does|did)\b               # exactly as the seed does
    | \b(?:according\s+to|as\s+in|unlike)\s+the\s+seeds?\b
    | \b(?:described|shown|given|written|listed|mentioned|found|quoted)\s+(?:in|by)\s+the\s+seeds?\b
    """,
    re.IGNORECASE | re.VERBOSE,
)
_EN_VOCAB_BEFORE = re.compile(r"(?:random|random-number|manual|base|initial|global)[\s_-]$", re.I)
_ZH_VOCAB_BEFORE = (
    "随机",
    "随机数",
    "设",
    "设置",
    "设定",
    "固定",
    "同一",
    "同一个",
    "相同",
    "相同的",
    "不同的",
    "基础",
)
# Heads of Chinese nouns of written material (材料, 笔记, 文档, 原文, 内容, 素材, 教程, 讲义, 手册,
# 章节, 篇章, 网页, 清单, 习题, 代码, 描述, 表格, 插图, 方案, 手稿, 书),
# and the function words that never begin such a noun after 种子 (种子并记下, 种子和文件).
_ZH_DOC_HEADS = "料记档文容材程义册章篇节页单题码述格图案稿书"
_ZH_FUNCTION = (
    "并再后和与及或时就都也会能可要又还才被给对为在是的了不让使将以从由向来去之等值数设用同相"
)
_ZH = re.compile(
    rf"""种子(?:
        (?![{_ZH_FUNCTION}])[\u3400-\u9fff][{_ZH_DOC_HEADS}]
        | 讲 | 谈到 | 指出 | 强调 | 提醒 | 介绍 | 引用
        |
        文档|笔记|教程|说明|资料|原文|文本|文章|讲义|示例|例子|代码|网络|模型
        | 中 | 里 | 所说 | 说 | 声称 | 提到 | 列出 | 列举 | 列的 | 描述 | 写 | 建议 | 推荐 | 认为
        | 定义 | 把 | 用(?!于|来) | 第 | 只说 | 称 | 一节 | 一文 | 原话
        | 的(?:说法|示例|例子|代码|定义|术语|网络|描述|训练|模型|教程|原文|写法|\s|`|"|“|[A-Za-z])
        | \s*0\d\d | \s*MNIST | \s*\x00
    )""",
    re.VERBOSE,
)


def lint_sources(text: str) -> list[tuple[int, str]]:
    """Every citation of the seed notes in ``text``: ``(index, message)`` pairs, in order."""
    if "seed" not in text.lower() and "种子" not in text:
        return []
    masked = Prose(text).masked
    found: list[tuple[int, str]] = []
    for match in _EN.finditer(masked):
        if _EN_VOCAB_BEFORE.search(masked[max(0, match.start() - 16) : match.start()]):
            continue
        cited = text[match.start() : match.end()]
        found.append(
            (
                match.start(),
                f"'{cited}' cites the seed notes, which learners never see; state the fact, "
                "or attribute a claim as 'a common tutorial says ...'",
            )
        )
    for match in _ZH.finditer(masked):
        if masked[: match.start()].endswith(_ZH_VOCAB_BEFORE):
            continue
        cited = text[match.start() : match.end()].rstrip()
        found.append(
            (
                match.start(),
                f"'{cited}' cites the seed notes (种子), which learners never see; state the "
                "fact, or attribute a claim as '有教程说……' (a common tutorial says)",
            )
        )
    return sorted(found)
