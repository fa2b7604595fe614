"""Provides DevicePicker: where an exercise's checks run, and the learner's choice when there is
one (an exercise that runs on either device, on a machine whose grading worker sees a GPU)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Select, Static

from grader.tui.grading_job import DeviceChoice
from grader.tui.strings import t

__all__ = ["DevicePicker"]


class DevicePicker(Horizontal):
    """A label, and a choice of auto / CPU / CUDA shown only when the learner has one.

    Args:
        wanted: The exercise's device (``cpu``, ``cuda`` or ``any``).
        lang: "zh" or "en".
    """

    def __init__(self, wanted: str, lang: str, *, id: str | None = "device-picker") -> None:
        super().__init__(id=id)
        self.wanted = wanted
        self.lang = lang
        self.cuda: bool | None = None
        """Whether the grading worker sees a GPU; None until it has started."""

    def compose(self) -> ComposeResult:
        yield Static("", id="device-label")
        select = Select[str](
            self._options(), value="auto", id="device", allow_blank=False, compact=True
        )
        select.display = False
        yield select

    def on_mount(self) -> None:
        self.refresh_choice()

    def _options(self) -> list[tuple[str, str]]:
        return [(t("dev_auto", self.lang), "auto"), ("CPU", "cpu"), ("CUDA", "cuda")]

    def set_cuda(self, cuda: bool | None) -> None:
        """What the grading worker found (None: not started yet)."""
        self.cuda = cuda
        self.refresh_choice()

    def apply_lang(self, lang: str) -> None:
        self.lang = lang
        self.refresh_choice()

    def refresh_choice(self) -> None:
        """Offer the choice, or say where the checks run."""
        lang, cuda = self.lang, self.cuda
        select = self.query_one("#device", Select)
        label = self.query_one("#device-label", Static)
        choose = self.wanted == "any" and cuda is True
        select.display = choose
        if choose:
            current = select.value if isinstance(select.value, str) else "auto"
            select.set_options(self._options())
            select.value = current
            text = t("ex_device", lang) + ":"
        elif self.wanted == "cpu" or (self.wanted == "any" and cuda is False):
            text = t("ex_device_fixed", lang, device=t("dev_cpu", lang))
        elif cuda is None:
            text = t("ex_device_wait", lang)
        else:
            device = t("dev_cuda", lang) + ("" if cuda else f" ({t('ex_no_gpu', lang)})")
            text = t("ex_device_fixed", lang, device=device)
        label.update(Content(text))

    @property
    def chosen(self) -> DeviceChoice:
        """The device the learner asked for ("auto" unless they chose one)."""
        select = self.query_one("#device", Select)
        if select.display and select.value in ("cpu", "cuda"):
            return select.value
        return "auto"
