"""Chart commands (SPEC 5): structured models and their derived `VERB:ARG[:ARG]` strings.

Each command is a pydantic model whose fields, in declaration order after `verb`, are its
arguments. `to_string()` and `parse_command()` are the only places that know the string form,
so the grammar cannot drift between the producer and the tests (or the frontend's parser tests).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from shared.models.fields import Price, Symbol, TimeframeField, UnixTime
from shared.models.prices import format_price

IndicatorName = Literal["SMA", "EMA", "RSI", "MACD", "BBANDS", "VWAP", "VOLUME"]
# CLEAR's argument: everything, a family, one kind of drawing, or one indicator (with its name).
ClearWhat = Literal[
    "ALL", "DRAWINGS", "INDICATORS", "TRENDLINES", "LEVELS", "FIBONACCI", "PATTERNS", "INDICATOR"
]
# CLEAR's argument as the grammar writes it: a family, one kind, or INDICATOR:<NAME>
CLEAR_TARGETS: tuple[str, ...] = tuple(w for w in get_args(ClearWhat) if w != "INDICATOR") + tuple(
    f"INDICATOR:{name}" for name in get_args(IndicatorName)
)
ClearTarget: Any = Literal[CLEAR_TARGETS]  # type: ignore[valid-type]  # built from ClearWhat
ZoomMode = Literal["IN", "OUT", "FIT"]
LevelVerb = Literal["SUPPORT", "RESISTANCE", "ENTRY", "TARGET", "STOPLOSS"]
PRICE_FIELDS = frozenset({"price", "p1", "p2", "high", "low"})


class BaseCommand(BaseModel):
    """Common behaviour: immutable, string form derived from the fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    def args(self) -> list[str]:
        """Arguments in grammar order, formatted (prices as fixed plain decimals)."""
        out: list[str] = []
        for name in type(self).model_fields:
            value = getattr(self, name)
            if name == "verb" or value is None:
                continue
            out.append(format_price(value) if name in PRICE_FIELDS else str(value))
        return out

    def to_string(self) -> str:
        """The line the page executes, e.g. `SUPPORT:238.40`."""
        return ":".join([self.verb, *self.args()])  # type: ignore[attr-defined]


class LoadCommand(BaseCommand):
    """Show this symbol."""

    verb: Literal["LOAD"] = "LOAD"
    symbol: Symbol


class TimeframeCommand(BaseCommand):
    """Switch to this canonical timeframe."""

    verb: Literal["TIMEFRAME"] = "TIMEFRAME"
    timeframe: TimeframeField

    def args(self) -> list[str]:
        """The enum's value (`1D`), not its Python name."""
        return [self.timeframe.value]


class AnalyzeCommand(BaseCommand):
    """Open the page's analysis panel."""

    verb: Literal["ANALYZE"] = "ANALYZE"
    kind: Literal["TECHNICAL", "PATTERNS"]


class LevelCommand(BaseCommand):
    """A horizontal price line: support/resistance or a trade-plan level."""

    verb: LevelVerb
    price: Price


class TrendlineCommand(BaseCommand):
    """Line from (t1, p1) to (t2, p2); price before time, as the GVSES parser expects."""

    verb: Literal["TRENDLINE"] = "TRENDLINE"
    p1: Price
    t1: UnixTime
    p2: Price
    t2: UnixTime


class FibonacciCommand(BaseCommand):
    """Retracement levels between a swing high and a swing low."""

    verb: Literal["FIBONACCI"] = "FIBONACCI"
    high: Price
    low: Price


class IndicatorCommand(BaseCommand):
    """An indicator the page computes from its own bars."""

    verb: Literal["INDICATOR"] = "INDICATOR"
    name: IndicatorName
    period: Annotated[int, Field(ge=1, le=500)] | None = None


class PatternCommand(BaseCommand):
    """A detected chart pattern spanning two bar times."""

    verb: Literal["PATTERN"] = "PATTERN"
    name: Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_]{1,39}$")]
    t1: UnixTime
    t2: UnixTime


class ClearCommand(BaseCommand):
    """Remove everything, all drawings or all indicators, one kind of drawing
    (`CLEAR:TRENDLINES`, `CLEAR:LEVELS`, `CLEAR:FIBONACCI`, `CLEAR:PATTERNS`), or one indicator
    with every period of it (`CLEAR:INDICATOR:RSI`). A page that predates the kinds ignores
    the lines it does not know."""

    verb: Literal["CLEAR"] = "CLEAR"
    what: ClearWhat = "ALL"
    indicator: IndicatorName | None = None

    @model_validator(mode="after")
    def _indicator_only_with_indicator(self) -> ClearCommand:
        if (self.what == "INDICATOR") != (self.indicator is not None):
            raise ValueError("CLEAR:INDICATOR takes an indicator name, and only it does")
        return self


class CompareCommand(BaseCommand):
    """Overlay another symbol, scaled to percent change from the first visible bar."""

    verb: Literal["COMPARE"] = "COMPARE"
    symbol: Symbol


class RangeCommand(BaseCommand):
    """Show the bars between two times (unix seconds, t1 before t2)."""

    verb: Literal["RANGE"] = "RANGE"
    t1: UnixTime
    t2: UnixTime

    @model_validator(mode="after")
    def _ordered(self) -> RangeCommand:
        if self.t2 <= self.t1:
            raise ValueError("RANGE needs t1 before t2")
        return self


class RemoveCommand(BaseCommand):
    """Remove one drawing, indicator or overlay by the id the chart document gave it
    (`REMOVE:d7`). Sent only where no CLEAR line removes exactly the same; a page that predates
    ids ignores the line, as it ignores any verb it does not know, and can redraw the document."""

    verb: Literal["REMOVE"] = "REMOVE"
    id: Annotated[str, Field(pattern=r"^[a-z][0-9]{1,9}$")]


class ZoomCommand(BaseCommand):
    """Zoom the time axis in or out, or fit every bar."""

    verb: Literal["ZOOM"] = "ZOOM"
    mode: ZoomMode


ChartCommand = Annotated[
    LoadCommand
    | TimeframeCommand
    | AnalyzeCommand
    | LevelCommand
    | TrendlineCommand
    | FibonacciCommand
    | IndicatorCommand
    | PatternCommand
    | ClearCommand
    | CompareCommand
    | RangeCommand
    | RemoveCommand
    | ZoomCommand,
    Field(discriminator="verb"),
]

_COMMAND_ADAPTER: TypeAdapter[ChartCommand] = TypeAdapter(ChartCommand)

_CLASS_BY_VERB: dict[str, type[BaseCommand]] = {}
for _cls in BaseCommand.__subclasses__():
    for _verb in _cls.model_fields["verb"].annotation.__args__:  # type: ignore[union-attr]
        _CLASS_BY_VERB[_verb] = _cls


def parse_command(line: str) -> ChartCommand | None:
    """Parse one `VERB:ARG` line; None for unknown verbs or malformed arguments."""
    verb, *args = line.strip().split(":")
    cls = _CLASS_BY_VERB.get(verb.upper())
    if cls is None:
        return None
    names = [name for name in cls.model_fields if name != "verb"]
    if len(args) > len(names):
        return None
    try:
        return _COMMAND_ADAPTER.validate_python(
            {"verb": verb.upper(), **dict(zip(names, args, strict=False))}
        )
    except ValidationError:
        return None


def parse_commands(text: str) -> list[ChartCommand]:
    """Every command line found in free text (the agent's message), in order."""
    return [cmd for cmd in map(parse_command, text.splitlines()) if cmd is not None]


def command_strings(commands: Iterable[BaseCommand]) -> list[str]:
    """String forms, in order."""
    return [command.to_string() for command in commands]
