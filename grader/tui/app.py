"""Provides QuizApp, the Textual app: home, practice, exam, review, report and stats screens.

Screens are opened by name through :data:`SCREENS`, a table of ``"module:Class"`` paths imported
on first use; a new area (e.g. code exercises) adds its screens there and a way to reach them
(a home-screen button calling :meth:`QuizApp.open_screen`).

Keys shared by every screen: ``l`` / F2 switch the language (every text on screen, the app's own
labels included; F2 comes first in every footer), Ctrl+Q quits (Textual's usual key, shown last in every footer). Letter and digit keys act only while focus is not in a text box;
each action also has a Ctrl- or function key, shown in the footer.

In a browser (``grader serve``) the browser keeps some keys for itself: F5 and Ctrl+R reload the
page, Ctrl+N, Ctrl+T and Ctrl+W open and close windows and tabs (:data:`BROWSER_TAKEN`). There the
app rebinds the actions on them (:data:`BROWSER_KEYMAP`, by binding id, so the footer shows the
new key) and hides Ctrl+O (``$EDITOR`` cannot suspend a web page).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.reactive import reactive
from textual.screen import Screen

from grader.study.context import Study
from grader.study.duration import format_duration
from grader.study.exam_lock import ExamInUse, ExamLock
from grader.study.session import Mode, SessionError
from grader.tui import cjk
from grader.tui.grading_job import GradingService
from grader.tui.screens.base import localize_bindings
from grader.tui.strings import t

if TYPE_CHECKING:
    from grader.study.exercise_study import ExerciseStudy

__all__ = ["BROWSER_KEYMAP", "BROWSER_TAKEN", "MIN_SIZE", "SCREENS", "QuizApp", "StartOptions"]

cjk.install()

BROWSER_TAKEN = frozenset(
    {"f5", "ctrl+r", "ctrl+n", "ctrl+t", "ctrl+w", "ctrl+shift+n", "ctrl+shift+t", "ctrl+shift+w"}
)
"""Keys a browser acts on itself (reload, new window, new tab, close tab) before a page sees them."""

BROWSER_KEYMAP: dict[str, str] = {
    "run_checks": "f3",  # F5 reloads the page (and F7 selects all in the editor)
    "my_code": "f10",  # F3 is Run checks there
    "next": "pagedown",  # Ctrl+N opens a browser window
    "prev": "pageup",  # beside Next
    "finish": "ctrl+e",  # Ctrl+T opens a browser tab ("e" for end)
}
"""Binding id -> the key it gets in a browser, for every action whose key the browser takes."""

_KEY_NAMES = {"escape": "Esc", "pagedown": "PgDn", "pageup": "PgUp", "enter": "Enter"}

MIN_SIZE = (64, 16)
"""The smallest terminal (columns, rows) the app draws itself in; below it a notice is shown."""

SCREENS: dict[str, str] = {
    "home": "grader.tui.screens.home:HomeScreen",
    "practice": "grader.tui.screens.quiz:QuizScreen",
    "review": "grader.tui.screens.quiz:QuizScreen",
    "exam": "grader.tui.screens.exam:ExamScreen",
    "report": "grader.tui.screens.report:ReportScreen",
    "handed_in": "grader.tui.screens.handed_in:HandedInScreen",
    "stats": "grader.tui.screens.stats:StatsScreen",
    "confirm": "grader.tui.screens.confirm:ConfirmScreen",
    "too_small": "grader.tui.screens.too_small:TooSmallScreen",
    "exercises": "grader.tui.screens.exercise_list:ExerciseListScreen",
    "exercise": "grader.tui.screens.exercise:ExerciseScreen",
    "solution": "grader.tui.screens.solution:SolutionScreen",
}
"""Screen name -> ``"module:Class"``; :meth:`QuizApp.open_screen` imports it when first used."""


@dataclass(frozen=True)
class StartOptions:
    """What ``grader quiz`` asked for; ``mode=None`` opens the home screen only."""

    mode: Mode | None = None
    banks: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    """Question ids to limit the session to (``--question``)."""
    count: int | None = None
    time_limit_s: float | None = None
    seed: int | None = None


class QuizApp(App[None]):
    """The terminal app over a :class:`grader.study.Study`.

    Args:
        study: The course's questions and the learner's store.
        lang: The language to start in ("zh" or "en").
        start: The session to start with (home screen only when its mode is None).
        after_first_paint: Called once, after the first screen is drawn.
    """

    CSS_PATH = ["app.tcss", "exercises.tcss"]
    TITLE = "torch-grader"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("f2", "switch_lang", "中文", id="lang", priority=True),
        Binding("l", "switch_lang", show=False),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
    ]

    lang: reactive[str] = reactive("en", init=False)

    def __init__(
        self,
        study: Study,
        *,
        lang: str = "en",
        start: StartOptions | None = None,
        exercises: ExerciseStudy | Callable[[], ExerciseStudy | None] | None = None,
        grading: GradingService | None = None,
        browser: bool | None = None,
        after_first_paint: Callable[[], object] | None = None,
    ):
        super().__init__()
        self._after_first_paint = after_first_paint
        self._browser = browser
        self.study = study
        self.start = start or StartOptions()
        self._exercises = exercises
        self.grading = grading or GradingService()
        """The sandboxed grader's handle (its warm worker starts when an exercise opens)."""
        self.set_reactive(QuizApp.lang, lang)
        self.exam_lock = ExamLock(study.store.path)
        """Held while an exam screen is open, so a second tab or window cannot open it too."""

    @property
    def exercises(self) -> ExerciseStudy | None:
        """The course's code exercises (None: the exercise screens are not offered); a loader
        given instead runs when first asked, so a quiz's first question does not wait for it."""
        if callable(self._exercises):
            loader, self._exercises = self._exercises, None
            self._exercises = loader()
        return self._exercises

    @property
    def in_browser(self) -> bool:
        """Whether the app runs in a web page (``grader serve``): the ``browser`` argument, else
        whether Textual's web driver runs it."""
        return self.is_web if self._browser is None else self._browser

    def shown_key(self, binding_id: str, key: str) -> str:
        """How the key of the binding ``binding_id`` (``key`` outside a browser) is written."""
        if self.in_browser:
            key = BROWSER_KEYMAP.get(binding_id, key)
        *modifiers, name = key.split("+")
        name = _KEY_NAMES.get(name, name.upper() if len(name) <= 3 else name.capitalize())
        return "+".join([*(m.capitalize() for m in modifiers), name])

    # -- screens ---------------------------------------------------------------------------

    def open_screen(
        self,
        name: str,
        *args: Any,
        replace: bool = False,
        callback: Callable[[Any], None] | None = None,
        **kwargs: Any,
    ) -> Screen[Any]:
        """Build the screen registered as ``name`` with ``args`` and show it.

        ``replace`` swaps it for the current screen (so Escape from a report goes home);
        ``callback`` receives what a modal screen dismisses with.
        """
        module_name, class_name = SCREENS[name].split(":")
        screen: Screen[Any] = getattr(import_module(module_name), class_name)(*args, **kwargs)
        if replace:
            self.switch_screen(screen)
        else:
            self.push_screen(screen, callback=callback)
        return screen

    def on_mount(self) -> None:
        if self.in_browser:
            self.update_keymap(BROWSER_KEYMAP)
        localize_bindings(self, self.lang)
        start = self.start
        started = refused = False
        if start.mode == "exam":
            started = self.resume_exam()
            # still stored as running: another tab holds it, so starting a new one (which
            # abandons it) is refused too
            refused = not started and self.study.store.active_session("exam") is not None
        if start.mode is not None and not started and not refused:
            started = self.start_session(
                start.mode,
                banks=start.banks,
                tags=start.tags,
                ids=start.questions,
                count=start.count,
                time_limit_s=start.time_limit_s,
                seed=start.seed,
            )
        if not started:
            self.go_home()
        self.check_size()
        if self._after_first_paint is not None:
            self.call_after_refresh(self._after_first_paint)

    def start_session(self, mode: Mode, **options: Any) -> bool:
        """Start a new session of ``mode`` and show it; False (with a notice) when none can be.

        Options are those of :meth:`grader.study.session.QuizSession.create`; ``count``,
        ``time_limit_s`` and ``seed`` default to what ``grader quiz`` was given.
        """
        for key in ("count", "time_limit_s", "seed"):
            if options.get(key) is None:
                options[key] = getattr(self.start, key)
        if mode == "exam" and not self.lock_exam():
            return False
        try:
            session = self.study.new_session(mode, lang=self.lang, **options)
        except SessionError:
            if mode == "exam":
                self.exam_lock.release()
            key = "nothing_due" if mode == "review" else "no_questions"
            self.notify(t(key, self.lang), severity="warning")
            return False
        self.open_screen(mode, session)
        return True

    def resume_exam(self) -> bool:
        """Show the stored unfinished exam, if there is one (and no other tab has it open)."""
        if self.study.store.active_session("exam") is None or not self.lock_exam():
            return False
        try:
            session = self.study.active_exam()
        except SessionError:
            session = None
        if session is None:
            self.exam_lock.release()
            return False
        session.lang = self.lang
        self.open_screen("exam", session)
        left = format_duration(session.remaining_s or 0)
        self.notify(t("exam_resumed", self.lang, time=left), timeout=6)
        return True

    def lock_exam(self) -> bool:
        """Take the course's exam lock (the exam screen lets it go when it closes); False,
        telling the learner, when another tab or window holds it."""
        try:
            self.exam_lock.acquire()
        except ExamInUse:
            self.notify(t("exam_in_use", self.lang), severity="error", timeout=10)
            return False
        return True

    def open_stats(self) -> None:
        """Show the statistics screen."""
        names = {b.bank: b.title for b in self.study.catalog.banks}
        from grader.study.stats import due_forecast, hint_stats

        store, clock = self.study.store, self.study.clock
        current = self.study.catalog.questions.keys()
        extra = (hint_stats(store), due_forecast(store, clock, question_ids=current))
        self.open_screen("stats", self.study.stats(), clock.today(), names, *extra)

    def go_home(self) -> None:
        """Show the home screen: back down to it, or (started straight into a quiz) instead of
        everything on the stack."""
        from grader.tui.screens.home import HomeScreen

        for index, screen in enumerate(self.screen_stack):
            if isinstance(screen, HomeScreen):
                while len(self.screen_stack) > index + 1:
                    self.pop_screen()
                return
        start = self.start
        home = HomeScreen(start.mode or "practice", start.banks, start.tags)
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if len(self.screen_stack) == 2:
            self.switch_screen(home)
        else:
            self.push_screen(home)

    # -- language --------------------------------------------------------------------------

    def action_switch_lang(self) -> None:
        """Switch between Chinese and English."""
        self.lang = "en" if self.lang == "zh" else "zh"

    def action_help_quit(self) -> None:
        """Ctrl+C (which copies in a text box) does not quit: say which key does, in the
        learner's language (Textual's own toast is English only)."""
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                shown = self.get_key_display(active.binding)
                self.notify(
                    t("quit_how", self.lang, shortcut=shown or key),
                    title=t("quit_title", self.lang),
                )
                return

    def localize_node_tree(self, root: DOMNode) -> None:
        """Relabel the footer bindings of ``root`` and everything under it."""
        localize_bindings(root, self.lang)
        for node in root.walk_children():
            localize_bindings(node, self.lang)
        self.refresh_bindings()

    def watch_lang(self, lang: str) -> None:
        localize_bindings(self, lang)
        for screen in self.screen_stack:
            self.localize_node_tree(screen)
            apply = getattr(screen, "apply_lang", None)
            if apply is not None:
                apply(lang)
        self.refresh_bindings()

    # -- terminal size ---------------------------------------------------------------------

    def check_size(self) -> None:
        """Show the too-small notice below MIN_SIZE, and take it away above (screens call this
        when they are resized)."""
        from grader.tui.screens.too_small import TooSmallScreen

        width, height = self.size
        small = width < MIN_SIZE[0] or height < MIN_SIZE[1]
        top = self.screen_stack[-1] if self.screen_stack else None
        if isinstance(top, TooSmallScreen):
            if small:
                top.update_size()
            else:
                self.pop_screen()
        elif small and top is not None:
            self.open_screen("too_small", MIN_SIZE)

    def on_load(self) -> None:
        self.title = t("app_title", self.lang)
