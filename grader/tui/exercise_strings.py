"""Provides the texts of the code-exercise screens, in Chinese and English.

They join the app's one table, :data:`grader.tui.strings.STRINGS` (which merges this one), so
:func:`grader.tui.strings.t` and footer relabelling treat them like every other text.
"""

from __future__ import annotations

__all__ = ["EXERCISE_STRINGS"]

EXERCISE_STRINGS: dict[str, tuple[str, str]] = {
    # key: (zh, en)
    # footer actions
    "exercises": ("编程练习", "Exercises"),
    "open": ("打开", "Open"),
    "run_checks": ("运行检查", "Run checks"),
    "submit_code": ("提交评分", "Submit"),
    "cancel_job": ("取消", "Cancel"),
    "ext_editor": ("外部编辑器", "$EDITOR"),
    "watch": ("监视", "Watch"),
    "reset_code": ("重置", "Reset"),
    "solution": ("参考解答", "Solution"),
    "save": ("保存", "Save"),
    # grader stats
    "ex_stats_line": (
        "编程练习：已通过 {accepted} 道，已开始 {started} 道，共提交 {submissions} 次",
        "Code exercises: {accepted} accepted, {started} started, {submissions} submissions",
    ),
    # home
    "ex_home_button": ("编程练习（已通过 {a}/{n}）", "Code exercises ({a}/{n} accepted)"),
    # list
    "ex_list_title": ("编程练习", "Code exercises"),
    "ex_list_help": (
        "选择一道练习，按 Enter 打开。已通过 = 提交的隐藏检查全部通过。",
        "Pick an exercise and press Enter. Accepted = every hidden check passed on submission.",
    ),
    "ex_none": ("本课程没有编程练习。", "This course has no code exercises."),
    "col_exercise": ("练习", "Exercise"),
    "col_topic": ("主题", "Topic"),
    "col_device": ("设备", "Device"),
    "col_points": ("分值", "Points"),
    "col_status": ("状态", "Status"),
    "col_best": ("最高分", "Best"),
    "st_not_started": ("未开始", "not started"),
    "st_in_progress": ("进行中", "in progress"),
    "st_public_pass": ("公开检查通过", "public checks pass"),
    "st_accepted": ("已通过", "accepted"),
    "dev_cpu": ("CPU", "CPU"),
    "dev_cuda": ("GPU（CUDA）", "GPU (CUDA)"),
    "dev_any": ("CPU 或 GPU", "CPU or GPU"),
    # exercise screen
    "ex_header": (
        "{title} · {points} · {device} · {status}",
        "{title} · {points} · {device} · {status}",
    ),
    "ex_points": ("{n} 分", "{n} points"),
    "ex_point": ("{n} 分", "{n} point"),
    "ex_best": ("最高 {best}/{max}", "best {best}/{max}"),
    "ex_statement": ("题目", "Task"),
    "ex_hint_n": ("提示 {i}/{n}", "Hint {i} of {n}"),
    "ex_hint_button": ("显示提示（{shown}/{n}）", "Show a hint ({shown}/{n})"),
    "ex_no_more_hints": ("提示已全部显示。", "Every hint is shown."),
    "ex_file": ("你的文件：{path}", "Your file: {path}"),
    "ex_device": ("设备", "Device"),
    "dev_auto": ("自动", "auto"),
    "ex_device_fixed": ("设备：{device}", "Device: {device}"),
    "ex_device_wait": ("设备：检测中…", "Device: detecting…"),
    "ex_no_gpu": ("本机没有 GPU", "no GPU here"),
    "ex_idle": (
        "F5 运行公开检查，F6 提交隐藏检查评分。",
        "F5 runs the public checks, F6 submits for the hidden checks.",
    ),
    "ex_starting": (
        "正在启动评分进程（首次需导入 torch）…",
        "Starting the grader (importing torch)…",
    ),
    "ex_running": (
        "{what}：第 {done}/{total} 项检查完成（{name}）",
        "{what}: {done}/{total} checks done ({name})",
    ),
    "ex_running_start": ("{what}：运行中…", "{what}: running…"),
    "ex_cancelling": ("正在取消…", "Cancelling…"),
    "ex_cancelled": (
        "已取消：评分进程已全部结束，未记录成绩。",
        "Cancelled: every grading process was stopped; nothing was recorded.",
    ),
    "ex_failed": (
        "评分程序出错（不是你的代码的问题）：{error}",
        "The grader failed (not your code): {error}",
    ),
    "ex_busy": ("正在评分；按 Esc 取消。", "Grading is running; press Esc to cancel it."),
    "ex_no_public": ("本练习没有公开检查。", "This exercise has no public checks."),
    "ex_saved": ("已保存到 {path}", "Saved to {path}"),
    "ex_reloaded": (
        "文件在编辑器外被修改，已重新载入。",
        "The file changed outside the app and was reloaded.",
    ),
    "ex_watch_on": (
        "监视模式：每次保存文件都会重新运行公开检查（可用任何编辑器）。",
        "Watch mode: the public checks run again whenever the file is saved, from any editor.",
    ),
    "ex_watch_off": ("监视模式已关闭。", "Watch mode is off."),
    "ex_watch_badge": ("● 监视中", "● watching"),
    "ex_editor_missing": (
        "未设置 $EDITOR（或 $VISUAL）环境变量。",
        "Neither $EDITOR nor $VISUAL is set.",
    ),
    "ex_editor_failed": (
        "无法启动编辑器 {editor}：{error}",
        "Could not start the editor {editor}: {error}",
    ),
    "ex_no_suspend": (
        "这个终端无法暂停应用；请在另一个窗口编辑 {path}，并打开监视模式。",
        "This terminal cannot suspend the app; edit {path} in another window with watch mode on.",
    ),
    "ex_confirm_reset": (
        "把你的代码重置为初始代码吗？当前代码将被覆盖（成绩记录保留）。",
        "Reset your code to the starter? Your current code is replaced (your results are kept).",
    ),
    "ex_reset_yes": ("重置", "Reset"),
    "ex_reset_no": ("保留我的代码", "Keep my code"),
    "ex_reset_done": ("已恢复为初始代码。", "The starter code is back."),
    "ex_solution_locked": (
        "通过本练习后才能查看参考解答。",
        "The solution opens once the exercise is accepted.",
    ),
    "ex_solution_missing": ("本课程没有提供参考解答。", "This course ships no reference solution."),
    "ex_solution_title": ("参考解答", "Reference solution"),
    # results
    "res_title_public": ("公开检查结果", "Public checks"),
    "res_title_hidden": ("提交结果（隐藏检查）", "Submission (hidden checks)"),
    "res_score": ("得分 {score}/{max}", "Score {score}/{max}"),
    "res_full": ("✔ 满分！", "✔ Full marks!"),
    "res_all_public": (
        "✔ 公开检查全部通过。现在可以提交（F6）。",
        "✔ Every public check passes. Now submit (F6).",
    ),
    "res_incomplete": (
        "部分检查被跳过，本次不计分。",
        "Some checks were skipped; this run does not count.",
    ),
    "res_device": ("运行设备：{device}", "ran on {device}"),
    "res_points": ("{score}/{max} 分", "{score}/{max} pt"),
    "res_line": ("第 {line} 行", "line {line}"),
    "res_same": ("（同上）", "(same as above)"),
    "res_output": ("你的程序输出", "Your program printed"),
    "res_traceback": ("出错位置（你的代码）", "Where it failed (your code)"),
    "res_cursor": ("光标已移到第 {line} 行。", "The cursor is on line {line}."),
    "reason_passed": ("通过", "passed"),
    "reason_failed": ("未通过", "failed"),
    "reason_error": ("出错", "error"),
    "reason_timeout": ("超时", "timed out"),
    "reason_skipped": ("已跳过", "skipped"),
    "reason_policy": ("违反规则", "policy"),
    "res_accepted_now": (
        "练习已通过！可以查看参考解答了。",
        "Exercise accepted! The reference solution is open to you now.",
    ),
}
