"""Provides every text the app itself shows, in Chinese and English (one table, one lookup).

Question content comes from the banks; everything else on screen (labels, buttons, footer key
descriptions, notices) comes from :data:`STRINGS` through :func:`t`. Footer bindings carry the
key of their text as their ``id``, so a language switch can relabel them.
"""

from __future__ import annotations

from typing import Any

from grader.i18n import Text

__all__ = ["STRINGS", "md_label", "t"]

STRINGS: dict[str, Text] = {
    "app_title": Text(zh="torch-grader · PyTorch 测验", en="torch-grader · PyTorch quiz"),
    # footer actions (the language switch names the language it switches to)
    "lang": Text(zh="English", en="中文"),
    "quit": Text(zh="退出", en="Quit"),
    "quit_title": Text(zh="要退出吗？", en="Do you want to quit?"),
    "quit_how": Text(zh="按 {shortcut} 退出本应用", en="Press {shortcut} to quit the app"),
    "home": Text(zh="主页", en="Home"),
    "submit": Text(zh="提交", en="Submit"),
    "next": Text(zh="下一题", en="Next"),
    "prev": Text(zh="上一题", en="Previous"),
    "hint": Text(zh="提示", en="Hint"),
    "flag": Text(zh="标记", en="Flag"),
    "finish": Text(zh="交卷", en="Finish"),
    "start": Text(zh="开始", en="Start"),
    "stats": Text(zh="统计", en="Stats"),
    "back": Text(zh="返回", en="Back"),
    "move_up": Text(zh="上移", en="Move up"),
    "move_down": Text(zh="下移", en="Move down"),
    "reference": Text(zh="参考答案", en="Reference"),
    # modes
    "mode_practice": Text(zh="练习", en="Practice"),
    "mode_exam": Text(zh="考试", en="Exam"),
    "mode_review": Text(zh="复习", en="Review"),
    "mode_practice_desc": Text(
        zh="一次一题，立即反馈与解析", en="one question at a time, instant feedback"
    ),
    "mode_exam_desc": Text(zh="限时作答，交卷后统一评分", en="timed; graded when you submit"),
    "mode_review_desc": Text(
        zh="按 FSRS 计划复习到期的题目", en="due questions, scheduled by FSRS"
    ),
    # home
    "home_mode": Text(zh="模式", en="Mode"),
    "home_banks": Text(zh="题库", en="Banks"),
    "home_tags": Text(zh="标签（不选即全部）", en="Tags (none = all)"),
    "bank_row": Text(
        zh="{title}（{total} 题 · 已掌握 {mastered} · 待复习 {due}）",
        en="{title} ({total} questions · {mastered} mastered · {due} due)",
    ),
    "mastery_rule": Text(
        zh="已掌握 = FSRS 稳定性 ≥ {days} 天（预计三周后仍有九成把握答对）",
        en="Mastered = FSRS stability ≥ {days} days (90 % recall expected three weeks on)",
    ),
    "due_total": Text(
        zh="待复习 {due} 题 · 未学 {new} 题", en="{due} reviews due · {new} not yet studied"
    ),
    "resume_exam": Text(
        zh="继续未完成的考试（剩余 {time}）", en="Resume the unfinished exam ({time} left)"
    ),
    "no_questions": Text(zh="没有符合条件的题目", en="No questions match"),
    "nothing_due": Text(zh="现在没有需要复习的题目", en="Nothing to review right now"),
    # question screen
    "question_of": Text(zh="第 {n}/{total} 题", en="Question {n} of {total}"),
    "difficulty": Text(zh="难度 {stars}", en="difficulty {stars}"),
    "hint_none": Text(zh="本题没有提示。", en="This question has no hint."),
    "hint_label": Text(zh="提示：", en="Hint: "),
    "blank_answer": Text(zh="请先作答。", en="Answer first."),
    "fb_correct": Text(zh="✔ 正确", en="✔ Correct"),
    "fb_partial": Text(zh="◐ 部分正确：得分 {pct}", en="◐ Partly right: {pct}"),
    "fb_wrong": Text(zh="✘ 错误", en="✘ Wrong"),
    "fb_answer": Text(zh="正确答案", en="Correct answer"),
    "fb_explanation": Text(zh="解析", en="Explanation"),
    "fb_retry": Text(
        zh="可以修改答案后再次提交，或按 {shortcut} 进入下一题。",
        en="Change your answer and submit again, or press {shortcut} for the next question.",
    ),
    "fb_attempt": Text(zh="第 {n} 次作答", en="attempt {n}"),
    "true": Text(zh="正确", en="True"),
    "false": Text(zh="错误", en="False"),
    "fill_placeholder": Text(zh="在此输入答案", en="Type your answer"),
    "numeric_placeholder": Text(
        zh="输入一个数（如 0.5、1/3、1e-3）", en="A number (e.g. 0.5, 1/3, 1e-3)"
    ),
    "code_typed": Text(
        zh="输入这段代码打印的全部内容（torch 为对齐各列加的空格和缩进不计，换行要保留）：",
        en="Type everything this code prints (torch's alignment spaces and indents don't count; "
        "line breaks do):",
    ),
    "short_yours": Text(
        zh="你的回答（不评分，供对照）：", en="Your answer (not graded; for comparison):"
    ),
    "short_show": Text(zh="显示参考答案", en="Show the reference answer"),
    "short_reference": Text(zh="参考答案", en="Reference answer"),
    "short_points": Text(zh="要点", en="Key points"),
    "short_rate": Text(zh="对照参考答案给自己评分：", en="Rate yourself against the reference:"),
    "rate_full": Text(zh="完全答对", en="Fully right"),
    "rate_partial": Text(zh="部分答对", en="Partly right"),
    "rate_none": Text(zh="还不会", en="Not yet"),
    "order_help": Text(
        zh="↑↓ 选择一项，Shift+↑↓ 或 [ ] 移动它，也可点击 ▲▼。",
        en="↑↓ pick an item, Shift+↑↓ or [ ] move it; or click ▲▼.",
    ),
    "session_done": Text(zh="本轮题目已全部作答。", en="You have answered every question."),
    # exam
    "exam_left": Text(zh="剩余 {time}", en="{time} left"),
    "exam_deadline": Text(
        zh="截止 {time}（关闭应用时也在计时）",
        en="due {time}; the clock runs while the app is closed",
    ),
    "handed_in": Text(
        zh="答卷已保存，请把这个文件交给老师：\n\n{path}\n\n成绩由老师评定。按 Esc 退出。",
        en="Your answers are saved. Hand in this file:\n\n{path}\n\nYour teacher grades it. Press Esc to quit.",
    ),
    "exam_answered": Text(zh="已答 {a}/{n}", en="{a}/{n} answered"),
    "exam_flagged": Text(zh="已标记 {n}", en="{n} flagged"),
    "nav_title": Text(zh="题目", en="Questions"),
    "nav_legend": Text(zh="● 已答  ⚑ 标记  ▶ 当前", en="● answered  ⚑ flagged  ▶ current"),
    "confirm_finish": Text(
        zh="确定交卷吗？还有 {unanswered} 题未答，{flagged} 题已标记。交卷后不能再修改。",
        en="Submit the exam? {unanswered} unanswered, {flagged} flagged. "
        "Answers cannot change afterwards.",
    ),
    "confirm_yes": Text(zh="交卷", en="Submit"),
    "confirm_no": Text(zh="继续作答", en="Keep working"),
    "time_up": Text(zh="时间到，已自动交卷。", en="Time is up: the exam was submitted."),
    "exam_resumed": Text(
        zh="已恢复未完成的考试，剩余 {time}。", en="Resumed your unfinished exam: {time} left."
    ),
    "exam_in_use": Text(
        zh="这场考试已在另一个标签页或窗口中打开。请在那里继续，或先关闭那个页面。",
        en="This exam is open in another tab or window. Carry on there, or close that one first.",
    ),
    # report
    "report_title": Text(zh="考试报告", en="Exam report"),
    "summary_title": Text(zh="本轮小结（按第一次作答计分）", en="Session summary (first tries)"),
    "report_score": Text(zh="得分 {score}/{n}（{pct}）", en="Score {score}/{n} ({pct})"),
    "report_time": Text(zh="用时 {time}", en="time used {time}"),
    "report_timed_out": Text(zh="时间到自动交卷", en="submitted when time ran out"),
    "report_by_bank": Text(zh="按题库", en="By bank"),
    "report_by_tag": Text(zh="按标签", en="By tag"),
    "report_misses": Text(zh="错题与解析", en="Answers that lost credit, with explanations"),
    "report_all_right": Text(zh="全部答对！", en="Everything right!"),
    "your_answer": Text(zh="你的答案", en="Your answer"),
    "unanswered": Text(zh="（未作答）", en="(not answered)"),
    "score_of": Text(zh="得分 {pct}", en="score {pct}"),
    # stats
    "stats_title": Text(zh="学习统计", en="Statistics"),
    "stats_totals": Text(
        zh="已答 {n} 题，全对 {c} 题，正确率 {pct}",
        en="{n} answered, {c} fully right, accuracy {pct}",
    ),
    "stats_streak": Text(zh="连续学习 {n} 天", en="streak: {n} days"),
    "stats_streak_one": Text(zh="连续学习 {n} 天", en="streak: {n} day"),
    "stats_mastery": Text(
        zh="已掌握 {m} 题 · 待复习 {d} 题", en="{m} mastered · {d} due for review"
    ),
    "stats_over_time": Text(zh="每日正确率", en="Accuracy by day"),
    "stats_empty": Text(zh="还没有答题记录。", en="No answers yet."),
    "col_bank": Text(zh="题库", en="Bank"),
    "col_tag": Text(zh="标签", en="Tag"),
    "col_answered": Text(zh="已答", en="Answered"),
    "col_correct": Text(zh="全对", en="Right"),
    "col_accuracy": Text(zh="正确率", en="Accuracy"),
    "col_score": Text(zh="得分", en="Score"),
    # size
    "too_small": Text(
        zh="终端太小：至少需要 {w}×{h}，当前 {cw}×{ch}。\n请放大窗口。",
        en="The terminal is too small: at least {w}×{h} is needed, this one is {cw}×{ch}.\n"
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


def streak_key(days: int) -> str:
    """The streak line's key: "1 day", not "1 days"."""
    return "stats_streak_one" if days == 1 else "stats_streak"


def t(key: str, lang: str, **values: Any) -> str:
    """The text ``key`` in ``lang`` ("zh" or "en"), formatted with ``values``."""
    text = STRINGS[key].get(lang)
    return text.format(**values) if values else text
