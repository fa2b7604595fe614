"""Provides the texts of the code-exercise screens, in Chinese and English.

They join the app's one table, :data:`grader.tui.strings.STRINGS` (which merges this one), so
:func:`grader.tui.strings.t` and footer relabelling treat them like every other text.
"""

from __future__ import annotations

from grader.i18n import Text

__all__ = ["EXERCISE_STRINGS"]

EXERCISE_STRINGS: dict[str, Text] = {
    # footer actions
    "exercises": Text(zh="编程练习", en="Exercises"),
    "open": Text(zh="打开", en="Open"),
    "run_checks": Text(zh="运行检查", en="Run checks"),
    "submit_code": Text(zh="提交评分", en="Submit"),
    "cancel_job": Text(zh="取消", en="Cancel"),
    "ext_editor": Text(zh="外部编辑器", en="$EDITOR"),
    "watch": Text(zh="监视", en="Watch"),
    "reset_code": Text(zh="重置", en="Reset"),
    "solution": Text(zh="参考解答", en="Solution"),
    "save": Text(zh="保存", en="Save"),
    "my_code": Text(zh="我的解答", en="My solution"),
    # grader stats
    "ex_stats_line": Text(
        zh="编程练习：已通过 {accepted} 道，已开始 {started} 道，共提交 {submissions} 次",
        en="Code exercises: {accepted} accepted, {started} started, {submissions} submissions",
    ),
    "ex_review_line": Text(
        zh="练习复习：现在到期 {due} 道，已排期 {scheduled} 道，已复习 {reviews} 次（用了 {hints} 个提示）",
        en="Exercise reviews: {due} due now, {scheduled} scheduled, {reviews} done "
        "({hints} hints used)",
    ),
    "stats_chart_accuracy": Text(
        zh="近 {days} 天每日正确率（括号内为答题数）",
        en="Accuracy by day, last {days} days (answers in brackets)",
    ),
    "stats_chart_due": Text(
        zh="未来 {days} 天到期的复习（█ 题目，▒ 编程练习）",
        en="Reviews due in the next {days} days (█ questions, ▒ exercises)",
    ),
    "stats_chart_none": Text(zh="（没有）", en="(none)"),
    "stats_hints": Text(
        zh="用过的提示：{n} 道题共 {q} 个，编程练习 {e} 个",
        en="Hints used: {q} on {n} questions, {e} in code exercises",
    ),
    # home
    "ex_due_home": Text(
        zh="待复习编程练习 {n} 道（打开即重新开始）",
        en="Exercise reviews due: {n} (opening one starts it afresh)",
    ),
    "ex_home_button": Text(zh="编程练习（已通过 {a}/{n}）", en="Exercises ({a}/{n} accepted)"),
    # list
    "ex_list_title": Text(zh="编程练习", en="Code exercises"),
    "ex_list_help": Text(
        zh="选择一道练习，按 Enter 打开。已通过 = 提交的隐藏检查全部通过。",
        en="Pick an exercise and press Enter. Accepted = every hidden check passed on submission.",
    ),
    "ex_none": Text(zh="本课程没有编程练习。", en="This course has no code exercises."),
    "col_exercise": Text(zh="练习", en="Exercise"),
    "col_title": Text(zh="标题", en="Title"),
    "col_topic": Text(zh="主题", en="Topic"),
    "col_device": Text(zh="设备", en="Device"),
    "col_points": Text(zh="分值", en="Points"),
    "col_status": Text(zh="状态", en="Status"),
    "col_best": Text(zh="最高分", en="Best"),
    "st_not_started": Text(zh="未开始", en="not started"),
    "st_in_progress": Text(zh="进行中", en="in progress"),
    "st_public_pass": Text(zh="公开检查通过", en="public checks pass"),
    "st_accepted": Text(zh="已通过", en="accepted"),
    "st_review_due": Text(zh="待复习", en="review due"),
    "dev_cpu": Text(zh="CPU", en="CPU"),
    "dev_cuda": Text(zh="GPU（CUDA）", en="GPU (CUDA)"),
    "dev_any": Text(zh="CPU 或 GPU", en="CPU or GPU"),
    # exercise screen
    "ex_header": Text(
        zh="{title} · {points} · {device} · {status}", en="{title} · {points} · {device} · {status}"
    ),
    "ex_points": Text(zh="{n} 分", en="{n} points"),
    "ex_point": Text(zh="{n} 分", en="{n} point"),
    "ex_best": Text(zh="最高 {best}/{max}", en="best {best}/{max}"),
    "ex_statement": Text(zh="题目", en="Task"),
    "ex_hint_n": Text(zh="提示 {i}/{n}", en="Hint {i} of {n}"),
    "ex_hint_button": Text(zh="显示提示（{shown}/{n}）", en="Show a hint ({shown}/{n})"),
    "ex_no_more_hints": Text(zh="提示已全部显示。", en="Every hint is shown."),
    "ex_file": Text(zh="你的文件：{path}", en="Your file: {path}"),
    "ex_device": Text(zh="设备", en="Device"),
    "dev_auto": Text(zh="自动", en="auto"),
    "ex_device_fixed": Text(zh="设备：{device}", en="Device: {device}"),
    "ex_device_wait": Text(zh="设备：检测中…", en="Device: detecting…"),
    "ex_no_gpu": Text(zh="本机没有 GPU", en="no GPU here"),
    "ex_idle": Text(
        zh="{run} 运行公开检查，F6 提交隐藏检查评分。",
        en="{run} runs the public checks, F6 submits for the hidden checks.",
    ),
    "ex_starting": Text(
        zh="正在启动评分进程（首次需导入 torch）…", en="Starting the grader (importing torch)…"
    ),
    "ex_running": Text(
        zh="{what}：第 {done}/{total} 项检查完成（{name}）",
        en="{what}: {done}/{total} checks done ({name})",
    ),
    "ex_running_start": Text(zh="{what}：运行中…", en="{what}: running…"),
    "ex_cancelling": Text(zh="正在取消…", en="Cancelling…"),
    "ex_cancelled": Text(
        zh="已取消：评分进程已全部结束，未记录成绩。",
        en="Cancelled: every grading process was stopped; nothing was recorded.",
    ),
    "ex_failed": Text(
        zh="评分程序出错（不是你的代码的问题）：{error}",
        en="The grader failed (not your code): {error}",
    ),
    "ex_busy": Text(zh="正在评分；按 Esc 取消。", en="Grading is running; press Esc to cancel it."),
    "ex_no_public": Text(zh="本练习没有公开检查。", en="This exercise has no public checks."),
    "ex_saved": Text(zh="已保存到 {path}", en="Saved to {path}"),
    "ex_reloaded": Text(
        zh="文件在编辑器外被修改，已重新载入。",
        en="The file changed outside the app and was reloaded.",
    ),
    "ex_watch_on": Text(
        zh="监视模式：每次保存文件都会重新运行公开检查（可用任何编辑器）。",
        en="Watch mode: the public checks run again whenever the file is saved, from any editor.",
    ),
    "ex_watch_off": Text(zh="监视模式已关闭。", en="Watch mode is off."),
    "ex_watch_badge": Text(zh="● 监视中", en="● watching"),
    "ex_editor_missing": Text(
        zh="未设置 $EDITOR（或 $VISUAL）环境变量。", en="Neither $EDITOR nor $VISUAL is set."
    ),
    "ex_editor_failed": Text(
        zh="无法启动编辑器 {editor}：{error}", en="Could not start the editor {editor}: {error}"
    ),
    "ex_no_suspend": Text(
        zh="这个终端无法暂停应用；请在另一个窗口编辑 {path}，并打开监视模式。",
        en="This terminal cannot suspend the app; edit {path} in another window with watch mode on.",
    ),
    "ex_confirm_reset": Text(
        zh="把你的代码重置为初始代码吗？当前代码将被覆盖（成绩记录保留）。",
        en="Reset your code to the starter? Your current code is replaced (your results are kept).",
    ),
    "ex_reset_yes": Text(zh="重置", en="Reset"),
    "ex_reset_no": Text(zh="保留我的代码", en="Keep my code"),
    "ex_reset_done": Text(zh="已恢复为初始代码。", en="The starter code is back."),
    "ex_solution_locked": Text(
        zh="通过本练习后才能查看参考解答。", en="The solution opens once the exercise is accepted."
    ),
    "ex_solution_missing": Text(
        zh="本课程没有提供参考解答。", en="This course ships no reference solution."
    ),
    "ex_solution_title": Text(zh="参考解答", en="Reference solution"),
    "ex_mine_title": Text(zh="你通过的代码", en="Your accepted code"),
    "ex_mine_missing": Text(
        zh="还没有保存的通过代码（练习通过后才会保存）。",
        en="No accepted code is kept yet (it is kept once the exercise is accepted).",
    ),
    "ex_in_review": Text(zh="复习中（F3 看你的解答）", en="in review (F3: your solution)"),
    "ex_review_started": Text(
        zh="复习：从起始代码重新做一遍。你通过的代码已保存，按 F3 查看。",
        en="Review: start again from the starter. Your accepted code is kept; F3 shows it.",
    ),
    "close": Text(zh="关闭", en="Close"),
    # results
    "res_title_public": Text(zh="公开检查结果", en="Public checks"),
    "res_title_hidden": Text(zh="提交结果（隐藏检查）", en="Submission (hidden checks)"),
    "res_score": Text(zh="得分 {score}/{max}", en="Score {score}/{max}"),
    "res_full": Text(zh="✔ 满分！", en="✔ Full marks!"),
    "res_all_public": Text(
        zh="✔ 公开检查全部通过。现在可以提交（F6）。",
        en="✔ Every public check passes. Now submit (F6).",
    ),
    "res_incomplete": Text(
        zh="部分检查被跳过，本次不计分。", en="Some checks were skipped; this run does not count."
    ),
    "res_device": Text(zh="运行设备：{device}", en="ran on {device}"),
    "res_points": Text(zh="{score}/{max} 分", en="{score}/{max} pt"),
    "res_line": Text(zh="第 {line} 行", en="line {line}"),
    "res_same": Text(zh="（同上）", en="(same as above)"),
    "res_output": Text(zh="你的程序输出", en="Your program printed"),
    "res_traceback": Text(zh="出错位置（你的代码）", en="Where it failed (your code)"),
    "res_cursor": Text(zh="光标已移到第 {line} 行。", en="The cursor is on line {line}."),
    "reason_passed": Text(zh="通过", en="passed"),
    "reason_failed": Text(zh="未通过", en="failed"),
    "reason_error": Text(zh="出错", en="error"),
    "reason_timeout": Text(zh="超时", en="timed out"),
    "reason_skipped": Text(zh="已跳过", en="skipped"),
    "reason_policy": Text(zh="违反规则", en="policy"),
    "res_accepted_now": Text(
        zh="练习已通过！可以查看参考解答了。",
        en="Exercise accepted! The reference solution is open to you now.",
    ),
}
