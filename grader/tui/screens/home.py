"""Provides HomeScreen: choose a mode, banks and tags; see mastery and due reviews per bank;
resume an unfinished exam; open the statistics."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Footer, SelectionList, Static

from grader.study.duration import format_duration
from grader.study.scheduling import MASTERY_STABILITY_DAYS
from grader.study.session import MODES, Mode
from grader.tui.screens.base import LANG_BINDINGS, LocalizedScreen
from grader.tui.widgets.choice_list import ChoiceList

__all__ = ["HomeScreen"]


class HomeScreen(LocalizedScreen):
    """The start screen."""

    BINDINGS = [
        *LANG_BINDINGS,
        Binding("ctrl+s", "start", "Start", id="start", priority=True),
        Binding("f3", "stats", "Stats", id="stats"),
        Binding("s", "stats", show=False),
        Binding("f4", "exercises", "Exercises", id="exercises"),
        Binding("e", "exercises", show=False),
    ]

    def __init__(
        self, mode: str = "practice", banks: tuple[str, ...] = (), tags: tuple[str, ...] = ()
    ):
        super().__init__()
        self.initial_mode = mode if mode in MODES else "practice"
        self.initial_banks = banks
        self.initial_tags = tags

    def compose(self) -> ComposeResult:
        catalog = self.app.study.catalog
        yield Static("", id="app-title")
        with Horizontal(id="home-body"):
            with VerticalScroll(id="home-left"):
                yield Static("", id="mode-label", classes="section-label")
                yield ChoiceList(
                    self._mode_labels(), selected=[MODES.index(self.initial_mode)], id="modes"
                )
                yield Static("", id="due-total")
                yield Static("", id="due-exercises")
                yield Static("", id="mastery-rule", classes="muted")
                yield Button("", id="resume", variant="warning", compact=True)
                with Horizontal(id="home-buttons"):
                    yield Button("", id="start", variant="primary", compact=True)
                    yield Button("", id="open-stats", compact=True)
                yield Button("", id="open-exercises", compact=True)
            with VerticalScroll(id="home-right"):
                yield Static("", id="banks-label", classes="section-label")
                bank_ids = catalog.bank_ids
                chosen = self.initial_banks or tuple(bank_ids)
                yield ChoiceList(
                    self._bank_labels(),
                    multiple=True,
                    selected=[i for i, b in enumerate(bank_ids) if b in chosen],
                    id="banks",
                )
                yield Static("", id="tags-label", classes="section-label")
                yield SelectionList[str](
                    *((tag, tag, tag in self.initial_tags) for tag in catalog.tags), id="tags"
                )
        yield Footer()

    def on_mount(self) -> None:
        self.apply_lang(self.lang)
        self.query_one("#modes", ChoiceList).focus()

    def on_screen_resume(self) -> None:
        """Coming back from a session: the counts and the resume button may have changed."""
        self.apply_lang(self.lang)

    def _mode_labels(self) -> list[Content]:
        return [
            Content.assemble((self.t(f"mode_{m}"), "bold"), " — ", self.t(f"mode_{m}_desc"))
            for m in MODES
        ]

    def _bank_labels(self) -> list[Content]:
        study = self.app.study
        labels = []
        for bank in study.catalog.banks:
            mastery = study.mastery(bank.bank)
            labels.append(
                Content(
                    self.t(
                        "bank_row",
                        title=bank.title.get(self.lang),
                        total=mastery.total,
                        mastered=mastery.mastered,
                        due=mastery.due,
                    )
                )
            )
        return labels

    def apply_lang(self, lang: str) -> None:
        study = self.app.study
        total = study.mastery()
        texts = {
            "#app-title": self.t("app_title"),
            "#mode-label": self.t("home_mode"),
            "#banks-label": self.t("home_banks"),
            "#tags-label": self.t("home_tags"),
            "#due-total": self.t("due_total", due=total.due, new=total.new),
            "#mastery-rule": self.t("mastery_rule", days=f"{MASTERY_STABILITY_DAYS:g}"),
        }
        for selector, text in texts.items():
            self.query_one(selector, Static).update(Content(text))
        self.query_one("#modes", ChoiceList).set_labels(self._mode_labels())
        self.query_one("#banks", ChoiceList).set_labels(self._bank_labels())
        self.query_one("#start", Button).label = self.t("start")
        self.query_one("#open-stats", Button).label = self.t("stats")
        due_exercises = self.query_one("#due-exercises", Static)
        due_count = len(self.app.exercises.due()) if self.app.exercises is not None else 0
        due_exercises.display = due_count > 0
        due_exercises.update(Content(self.t("ex_due_home", n=due_count)))
        exercises_button = self.query_one("#open-exercises", Button)
        exercises_button.display = self.app.exercises is not None
        if self.app.exercises is not None:
            accepted, count = self.app.exercises.accepted_count()
            exercises_button.label = self.t("ex_home_button", a=accepted, n=count)
        resume = self.query_one("#resume", Button)
        exam = study.store.active_session("exam")
        resume.display = exam is not None
        if exam is not None:
            left = max(0.0, (exam.state.get("time_limit_s") or 0) - exam.state.get("elapsed_s", 0))
            resume.label = self.t("resume_exam", time=format_duration(left))

    def selection(self) -> tuple[Mode, tuple[str, ...], tuple[str, ...]]:
        """The chosen mode, banks and tags."""
        catalog = self.app.study.catalog
        modes = self.query_one("#modes", ChoiceList).selected
        mode: Mode = MODES[min(modes)] if modes else "practice"
        banks = tuple(
            catalog.bank_ids[i] for i in sorted(self.query_one("#banks", ChoiceList).selected)
        )
        tags = tuple(sorted(self.query_one("#tags", SelectionList).selected))
        return mode, banks, tags

    def action_start(self) -> None:
        mode, banks, tags = self.selection()
        if not banks:
            self.notify(self.t("no_questions"), severity="warning")
            return
        self.app.start_session(mode, banks=banks, tags=tags)

    def action_stats(self) -> None:
        self.app.open_stats()

    def action_exercises(self) -> None:
        """Open the list of code exercises."""
        if self.app.exercises is not None:
            self.app.open_screen("exercises", self.app.exercises)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "exercises":
            return self.app.exercises is not None
        return True

    @on(Button.Pressed, "#open-exercises")
    def _exercises_pressed(self) -> None:
        self.action_exercises()

    @on(ChoiceList.Submitted)
    def _list_submitted(self, event: ChoiceList.Submitted) -> None:
        event.stop()
        self.action_start()

    @on(Button.Pressed, "#start")
    def _start_pressed(self) -> None:
        self.action_start()

    @on(Button.Pressed, "#open-stats")
    def _stats_pressed(self) -> None:
        self.action_stats()

    @on(Button.Pressed, "#resume")
    def _resume_pressed(self) -> None:
        self.app.resume_exam()
