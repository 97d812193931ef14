"""What commands and page changes do to the chart document, as the page's kit does them.

`apply_answer` is an answer's edit (its commands in page order, stamped with the answer's turn
and request); `apply_page` is the page's own (a switch, removed drawings, a clear). Both are
pure: the store calls them again on a fresh read when a concurrent write won the race, so two
doors editing one session at once keep both edits.

The rules mirror `web/src/execute.js`: LOAD and TIMEFRAME leave the drawings behind (they belong
to the chart they were drawn on) and keep indicators and overlays; CLEAR removes what its
argument names (overlays only with ALL); a level or line drawn twice is drawn once; REMOVE takes
away the one item with that id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from shared.models import commands as cmd
from shared.models.chart import (
    MAX_DRAWINGS,
    MAX_REQUEST_CHARS,
    Anchor,
    ChartIndicator,
    ChartMemory,
    Drawing,
    DrawingKind,
    LastAnswer,
    Overlay,
    ThreadChart,
    View,
)
from shared.models.commands import BaseCommand
from shared.models.fields import Timeframe

OSCILLATORS = frozenset({"RSI", "MACD", "VOLUME"})  # each in a pane below the price pane
LEVEL_KINDS: frozenset[DrawingKind] = frozenset(
    {"support", "resistance", "entry", "target", "stoploss"}
)
# CLEAR's argument -> the drawing kinds it removes (INDICATORS/INDICATOR handled apart)
CLEARED_KINDS: dict[str, frozenset[DrawingKind]] = {
    "LEVELS": LEVEL_KINDS,
    "FIBONACCI": frozenset({"fibonacci"}),
    "TRENDLINES": frozenset({"trendline"}),
    "PATTERNS": frozenset({"pattern"}),
}
CLEARED_KINDS["DRAWINGS"] = CLEARED_KINDS["ALL"] = frozenset().union(*CLEARED_KINDS.values())


@dataclass(frozen=True, slots=True)
class Chart:
    """Which chart: the symbol and timeframe drawings belong to."""

    symbol: str | None
    timeframe: Timeframe | None


@dataclass(frozen=True, slots=True)
class Stamp:
    """Who edits: the request's words and the tool behind each command (index for index)."""

    request: str | None = None
    tools: Sequence[str | None] = ()


def on_chart(memory: ChartMemory, chart: Chart) -> ChartMemory:
    """The memory without the drawings of another chart (a page switch the store wrote
    without reading leaves them behind; they are not on the page any more)."""
    kept = [
        d for d in memory.drawings if (d.symbol, d.timeframe) == (chart.symbol, chart.timeframe)
    ]
    if len(kept) == len(memory.drawings):
        return memory
    return memory.model_copy(update={"drawings": kept})


def apply_answer(  # noqa: PLR0917 - the edit and everything it is stamped with
    memory: ChartMemory,
    commands: Sequence[BaseCommand],
    chart: Chart,
    stamp: Stamp,
    last_answer: LastAnswer | None,
    remember: bool = False,
) -> ChartMemory:
    """The memory after an answer's commands; a changed chart counts a turn and keeps
    `last_answer` (stamped with it), as does an answer to `remember` that changed nothing (a
    trade plan that found no setup is still the plan "why?" asks about)."""
    if not commands and not remember:
        return memory  # a question: nothing to apply, and no copy of the memory to make
    editor = _Editor(memory.model_copy(deep=True), chart, memory.turns + 1, stamp.request)
    for index, command in enumerate(commands):
        tool = stamp.tools[index] if index < len(stamp.tools) else None
        editor.run(command, tool)
    edited = editor.memory
    if edited.same_chart(memory) and not remember:
        return memory
    edited.turns = editor.turn
    if last_answer is not None:
        edited.last_answer = last_answer.model_copy(update={"turn": editor.turn})
    return edited


def apply_page(
    memory: ChartMemory,
    before: Chart,
    after: Chart,
    removed: Sequence[str] = (),
    cleared: str | None = None,
) -> ChartMemory:
    """The memory after the page's own change: a switch, drawings the user removed, a clear."""
    editor = _Editor(memory.model_copy(deep=True), after, memory.turns, None)
    if before != after:
        editor.switched()
    for item in removed:
        editor.remove(item)
    if cleared is not None:
        what, _, name = cleared.partition(":")
        editor.clear(what, name or None)
    return editor.memory


class _Editor:
    """Runs commands on a memory copy, one at a time, as the kit draws them."""

    def __init__(self, memory: ChartMemory, chart: Chart, turn: int, request: str | None):
        self.memory, self.chart, self.turn = memory, chart, turn
        self.request = request[:MAX_REQUEST_CHARS] if request else None

    def new_id(self) -> str:
        number = self.memory.next_id
        self.memory.next_id += 1
        return f"d{number}"

    def run(self, command: BaseCommand, tool: str | None) -> None:
        """One command, as the kit executes it."""
        if not self.draw_from(command, tool):
            self.change(command)

    def draw_from(self, command: BaseCommand, tool: str | None) -> bool:
        """A command that draws on the price pane; False for any other."""
        match command:
            case cmd.LevelCommand(verb=verb, price=price):
                self.draw(verb.lower(), command, [Anchor(price=price)], tool)  # type: ignore[arg-type]
            case cmd.FibonacciCommand(high=high, low=low):
                self.draw("fibonacci", command, [Anchor(price=high), Anchor(price=low)], tool)
            case cmd.TrendlineCommand(p1=p1, t1=t1, p2=p2, t2=t2):
                anchors = [Anchor(price=p1, time=t1), Anchor(price=p2, time=t2)]
                self.draw("trendline", command, anchors, tool)
            case cmd.PatternCommand(name=name, t1=t1, t2=t2):
                self.draw("pattern", command, [Anchor(time=t1), Anchor(time=t2)], tool, name)
            case _:
                return False
        return True

    def change(self, command: BaseCommand) -> None:
        """A command that switches the chart, adds or removes an item, or moves the view."""
        match command:
            case cmd.LoadCommand(symbol=symbol):
                self.chart = Chart(symbol, self.chart.timeframe)
                self.switched()
            case cmd.TimeframeCommand(timeframe=timeframe):
                self.chart = Chart(self.chart.symbol, timeframe)
                self.switched()
            case cmd.IndicatorCommand(name=name, period=period):
                self.indicator(command, name, period)
            case cmd.CompareCommand(symbol=symbol):
                if all(o.symbol != symbol for o in self.memory.overlays):
                    line = command.to_string()
                    overlay = Overlay(id=self.new_id(), symbol=symbol, command=line, turn=self.turn)
                    self.memory.overlays.append(overlay)
            case cmd.ClearCommand(what=what, indicator=indicator):
                self.clear(what, indicator)
            case cmd.RemoveCommand(id=item):
                self.remove(item)
            case cmd.RangeCommand(t1=t1, t2=t2):
                self.memory.view = View(t1=t1, t2=t2)
            case cmd.ZoomCommand(mode=mode):
                self.memory.view = None if mode == "FIT" else View(zoom=mode)

    def switched(self) -> None:
        """A new chart: the drawings stay with the old one, the view is the new chart's."""
        self.memory.drawings = [
            d
            for d in self.memory.drawings
            if (d.symbol, d.timeframe) == (self.chart.symbol, self.chart.timeframe)
        ]
        self.memory.view = None

    def draw(
        self,
        kind: DrawingKind,
        command: BaseCommand,
        anchors: list[Anchor],
        tool: str | None,
        label: str | None = None,
    ) -> None:
        line = command.to_string()
        if any(d.command == line for d in self.memory.drawings):
            return
        drawing = Drawing(
            id=self.new_id(),
            kind=kind,
            command=line,
            anchors=anchors,
            label=label,
            tool=tool,
            request=self.request,
            turn=self.turn,
            symbol=self.chart.symbol,
            timeframe=self.chart.timeframe,
        )
        self.memory.drawings = [*self.memory.drawings, drawing][-MAX_DRAWINGS:]

    def indicator(self, command: cmd.IndicatorCommand, name: str, period: int | None) -> None:
        if any(i.name == name and i.period == period for i in self.memory.indicators):
            return
        oscillators = sum(i.name in OSCILLATORS for i in self.memory.indicators)
        pane = oscillators + 1 if name in OSCILLATORS else 0
        self.memory.indicators.append(
            ChartIndicator(
                id=self.new_id(),
                name=command.name,
                period=period,
                pane=pane,
                command=command.to_string(),
                turn=self.turn,
            )
        )

    def clear(self, what: str, indicator: str | None) -> None:
        kinds = CLEARED_KINDS.get(what, frozenset())
        self.memory.drawings = [d for d in self.memory.drawings if d.kind not in kinds]
        if what in ("ALL", "INDICATORS", "INDICATOR"):
            self.memory.indicators = [
                i for i in self.memory.indicators if what == "INDICATOR" and i.name != indicator
            ]
        if what == "ALL":
            self.memory.overlays = []
            self.memory.view = None

    def remove(self, item: str) -> None:
        memory = self.memory
        memory.drawings = [d for d in memory.drawings if d.id != item]
        memory.indicators = [i for i in memory.indicators if i.id != item]
        memory.overlays = [o for o in memory.overlays if o.id != item]


MAX_THREADS = 10  # other threads' charts kept; the least recently shown goes first


def switch_thread(
    memory: ChartMemory, chart: Chart, thread: str | None, new_thread: bool = False
) -> tuple[ChartMemory, Chart]:
    """The memory and chart of `thread` (or of a thread about to be created): the chart on
    show is kept for its own thread, the one asked for comes back, a new thread starts with
    nothing drawn on the chart as it is. Ids keep counting across threads."""
    if not new_thread and (thread is None or memory.thread == thread):
        return memory, chart
    if not new_thread and memory.thread is None:  # the first thread the page names: this one
        return memory.model_copy(update={"thread": thread}), chart
    threads = dict(memory.threads)
    if memory.thread is not None:
        shown = memory.model_copy(update={"threads": {}})
        threads.pop(memory.thread, None)
        threads[memory.thread] = ThreadChart(
            symbol=chart.symbol, timeframe=chart.timeframe, memory=shown
        )
    kept = threads.pop(thread, None) if thread is not None else None
    threads = dict(list(threads.items())[-MAX_THREADS:])
    if kept is None:
        fresh = ChartMemory(thread=thread, next_id=memory.next_id, turns=memory.turns)
        return fresh.model_copy(update={"threads": threads}), chart
    restored = kept.memory.model_copy(
        update={
            "threads": threads,
            "thread": thread,
            "next_id": max(memory.next_id, kept.memory.next_id),
        }
    )
    return restored, Chart(kept.symbol or chart.symbol, kept.timeframe or chart.timeframe)
