"""Provides every text the app itself shows, in Chinese and English (one table, one lookup).

Question content comes from the banks; everything else on screen (labels, buttons, footer key
descriptions, notices) comes from :data:`STRINGS` through :func:`t`. Footer bindings carry the
key of their text as their ``id``, so a language switch can relabel them.
"""

from __future__ import annotations

from typing import Any

__all__ = ["STRINGS", "md_label", "t"]

STRINGS: dict[str, tuple[str, str]] = {
    # key: (zh, en)
    "app_title": ("torch-grader · PyTorch 测验", "torch-grader · PyTorch quiz"),
    # footer actions
    "lang": ("English", "中文"),
    "quit": ("退出", "Quit"),
    "home": ("主页", "Home"),
    "submit": ("提交", "Submit"),
    "next": ("下一题", "Next"),
    "prev": ("上一题", "Previous"),
    "hint": ("提示", "Hint"),
    "flag": ("标记", "Flag"),
    "finish": ("交卷", "Finish"),
    "start": ("开始", "Start"),
    "stats": ("统计", "Stats"),
    "back": ("返回", "Back"),
    "move_up": ("上移", "Move up"),
    "move_down": ("下移", "Move down"),
    "reference": ("参考答案", "Reference"),
    # modes
    "mode_practice": ("练习", "Practice"),
    "mode_exam": ("考试", "Exam"),
    "mode_review": ("复习", "Review"),
    "mode_practice_desc": ("一次一题，立即反馈与解析", "one question at a time, instant feedback"),
    "mode_exam_desc": ("限时作答，交卷后统一评分", "timed; graded when you submit"),
    "mode_review_desc": ("按 FSRS 计划复习到期的题目", "due questions, scheduled by FSRS"),
    # home
    "home_mode": ("模式", "Mode"),
    "home_banks": ("题库", "Banks"),
    "home_tags": ("标签（不选即全部）", "Tags (none = all)"),
    "bank_row": (
        "{title}（{total} 题 · 已掌握 {mastered} · 待复习 {due}）",
        "{title} ({total} questions · {mastered} mastered · {due} due)",
    ),
    "mastery_rule": (
        "已掌握 = FSRS 稳定性 ≥ {days} 天（预计三周后仍有九成把握答对）",
        "Mastered = FSRS stability ≥ {days} days (90 % recall expected three weeks on)",
    ),
    "due_total": ("待复习 {due} 题 · 未学 {new} 题", "{due} reviews due · {new} not yet studied"),
    "resume_exam": ("继续未完成的考试（剩余 {time}）", "Resume the unfinished exam ({time} left)"),
    "no_questions": ("没有符合条件的题目", "No questions match"),
    "nothing_due": ("现在没有需要复习的题目", "Nothing to review right now"),
    # question screen
    "question_of": ("第 {n}/{total} 题", "Question {n} of {total}"),
    "difficulty": ("难度 {stars}", "difficulty {stars}"),
    "hint_none": ("本题没有提示。", "This question has no hint."),
    "hint_label": ("提示：", "Hint: "),
    "blank_answer": ("请先作答。", "Answer first."),
    "fb_correct": ("✔ 正确", "✔ Correct"),
    "fb_partial": ("◐ 部分正确：得分 {pct}", "◐ Partly right: {pct}"),
    "fb_wrong": ("✘ 错误", "✘ Wrong"),
    "fb_answer": ("正确答案", "Correct answer"),
    "fb_explanation": ("解析", "Explanation"),
    "fb_retry": (
        "可以修改答案后再次提交，或按 n 进入下一题。",
        "Change your answer and submit again, or press n for the next question.",
    ),
    "fb_attempt": ("第 {n} 次作答", "attempt {n}"),
    "true": ("正确", "True"),
    "false": ("错误", "False"),
    "fill_placeholder": ("在此输入答案", "Type your answer"),
    "numeric_placeholder": ("输入一个数（如 0.5、1/3、1e-3）", "A number (e.g. 0.5, 1/3, 1e-3)"),
    "code_typed": ("输入这段代码打印的全部内容：", "Type everything this code prints:"),
    "short_yours": ("你的回答（不评分，供对照）：", "Your answer (not graded; for comparison):"),
    "short_show": ("显示参考答案", "Show the reference answer"),
    "short_reference": ("参考答案", "Reference answer"),
    "short_points": ("要点", "Key points"),
    "short_rate": ("对照参考答案给自己评分：", "Rate yourself against the reference:"),
    "rate_full": ("完全答对", "Fully right"),
    "rate_partial": ("部分答对", "Partly right"),
    "rate_none": ("还不会", "Not yet"),
    "order_help": (
        "↑↓ 选择一项，Shift+↑↓ 或 [ ] 移动它，也可点击 ▲▼。",
        "↑↓ pick an item, Shift+↑↓ or [ ] move it; or click ▲▼.",
    ),
    "session_done": ("本轮题目已全部作答。", "You have answered every question."),
    # exam
    "exam_left": ("剩余 {time}", "{time} left"),
    "exam_answered": ("已答 {a}/{n}", "{a}/{n} answered"),
    "exam_flagged": ("已标记 {n}", "{n} flagged"),
    "nav_title": ("题目", "Questions"),
    "nav_legend": ("● 已答  ⚑ 标记  ▶ 当前", "● answered  ⚑ flagged  ▶ current"),
    "confirm_finish": (
        "确定交卷吗？还有 {unanswered} 题未答，{flagged} 题已标记。交卷后不能再修改。",
        "Submit the exam? {unanswered} unanswered, {flagged} flagged. "
        "Answers cannot change afterwards.",
    ),
    "confirm_yes": ("交卷", "Submit"),
    "confirm_no": ("继续作答", "Keep working"),
    "time_up": ("时间到，已自动交卷。", "Time is up: the exam was submitted."),
    "exam_resumed": (
        "已恢复未完成的考试，剩余 {time}。",
        "Resumed your unfinished exam: {time} left.",
    ),
    # report
    "report_title": ("考试报告", "Exam report"),
    "summary_title": ("本轮小结（按第一次作答计分）", "Session summary (first tries)"),
    "report_score": ("得分 {score}/{n}（{pct}）", "Score {score}/{n} ({pct})"),
    "report_time": ("用时 {time}", "time used {time}"),
    "report_timed_out": ("时间到自动交卷", "submitted when time ran out"),
    "report_by_bank": ("按题库", "By bank"),
    "report_by_tag": ("按标签", "By tag"),
    "report_misses": ("错题与解析", "Answers that lost credit, with explanations"),
    "report_all_right": ("全部答对！", "Everything right!"),
    "your_answer": ("你的答案", "Your answer"),
    "unanswered": ("（未作答）", "(not answered)"),
    "score_of": ("得分 {pct}", "score {pct}"),
    # stats
    "stats_title": ("学习统计", "Statistics"),
    "stats_totals": (
        "已答 {n} 题，全对 {c} 题，正确率 {pct}",
        "{n} answered, {c} fully right, accuracy {pct}",
    ),
    "stats_streak": ("连续学习 {n} 天", "streak: {n} days"),
    "stats_mastery": ("已掌握 {m} 题 · 待复习 {d} 题", "{m} mastered · {d} due for review"),
    "stats_over_time": ("每日正确率", "Accuracy by day"),
    "stats_empty": ("还没有答题记录。", "No answers yet."),
    "col_bank": ("题库", "Bank"),
    "col_tag": ("标签", "Tag"),
    "col_answered": ("已答", "Answered"),
    "col_correct": ("全对", "Right"),
    "col_accuracy": ("正确率", "Accuracy"),
    "col_score": ("得分", "Score"),
    # size
    "too_small": (
        "终端太小：至少需要 {w}×{h}，当前 {cw}×{ch}。\n请放大窗口。",
        "The terminal is too small: at least {w}×{h} is needed, this one is {cw}×{ch}.\n"
        "Please enlarge the window.",
    ),
}


from grader.tui.exercise_strings import EXERCISE_STRINGS  # noqa: E402 - the exercise screens' texts

STRINGS.update(EXERCISE_STRINGS)


def md_label(key: str, lang: str) -> str:
    """The text ``key`` as a bold Markdown label with a colon after it.

    The colon stays outside the ``**``: CommonMark does not close emphasis on ``：**`` directly
    followed by a Chinese character.
    """
    return f"**{t(key, lang)}**" + ("：" if lang == "zh" else ": ")


def t(key: str, lang: str, **values: Any) -> str:
    """The text ``key`` in ``lang`` ("zh" or "en"), formatted with ``values``."""
    zh, en = STRINGS[key]
    text = zh if lang == "zh" else en
    return text.format(**values) if values else text
