"""Pure rules for indicator scales and their small charts. No Django: a function of its inputs."""

from dataclasses import dataclass
from decimal import Decimal
from numbers import Real

DOWN, UP = "down", "up"


def direction(start: Real | None, target: Real | None) -> str:
    """'down' when the target is below the start (pain 8 → 3), 'up' when above; '' when undefined."""
    if start is None or target is None or start == target:
        return ""
    return DOWN if target < start else UP


def scale_problems(low, high, start, target) -> dict[str, str]:
    """Which of a scale's four numbers are wrong, by field name, as problem codes."""
    problems: dict[str, str] = {}
    for name, value in (("scale_min", low), ("scale_max", high), ("start_value", start), ("target_value", target)):
        if value is None:
            problems[name] = "required"
    if problems:
        return problems
    if high <= low:
        problems["scale_max"] = "max_not_above_min"
        return problems
    for name, value in (("start_value", start), ("target_value", target)):
        if not low <= value <= high:
            problems[name] = "outside"
    if "target_value" not in problems and start == target:
        problems["target_value"] = "equals_start"
    return problems


def within(value, low, high) -> bool:
    return low <= value <= high


def reached(value, start, target) -> bool:
    d = direction(start, target)
    return (value <= target) if d == DOWN else (value >= target) if d == UP else False


def _n(value: float) -> str:
    """A coordinate for SVG: a dot as decimal mark and one decimal, whatever the page's language."""
    return f"{value:.1f}"


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    value: Decimal
    label: str  # the date under the point ("" when the point's date is left out to make room)
    label_y: float  # where the value's text goes: above the point, or below it near the top

    @property
    def cx(self) -> str:
        return _n(self.x)

    @property
    def cy(self) -> str:
        return _n(self.y)

    @property
    def text_y(self) -> str:
        return _n(self.label_y)


@dataclass(frozen=True)
class Tick:
    y: str
    value: Decimal  # shown with the page's decimal mark by the template


@dataclass(frozen=True)
class Chart:
    """A small line chart of an indicator's scores. The float fields are for computing and testing; the
    template draws only the str fields and properties, which are formatted here with a dot, so no
    locale can turn a coordinate into "36,0" on the way into the page."""

    width: int
    height: int
    points: tuple[ChartPoint, ...]
    target_y: float
    start_y: float
    top_label: str
    bottom_label: str
    polyline: str
    left: int
    right: int
    top: int
    bottom: int
    ticks: tuple[Tick, ...] = ()
    target_label_y: float = 0.0
    date_y: int = 0

    @property
    def ty(self) -> str:
        return _n(self.target_y)

    @property
    def target_text_y(self) -> str:
        return _n(self.target_label_y)

    @property
    def tick_x(self) -> int:
        return self.left - 6


def fmt(value) -> str:
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def chart(values: list[tuple[str, Decimal]], *, low, high, start, target, width: int = 360, height: int = 170) -> Chart:
    """Coordinates for a line chart of `values` (date label, value) on the scale low..high, with the
    target drawn as a dashed line and labelled. Each point is a marker with its value above it; the
    dates run under the axis (every other one or sparser when there are many, the last always)."""
    left, right, top, bottom = 40, width - 24, 16, height - 30
    span = float(high - low) or 1.0

    def y_of(v) -> float:
        return round(bottom - (float(v) - float(low)) / span * (bottom - top), 1)

    n = len(values)
    step = (right - left) / (n - 1) if n > 1 else 0
    every = max(1, -(-n // 6))  # at most about six dates under the axis
    target_y = y_of(target)
    points = []
    for i, (label, v) in enumerate(values):
        x = round(left + i * step if n > 1 else (left + right) / 2, 1)
        y = y_of(v)
        shown = i == n - 1 or (i % every == 0 and (n - 1 - i) >= every)
        points.append(
            ChartPoint(
                x=x,
                y=y,
                value=v,
                label=label if shown else "",
                label_y=y - 9 if y - 9 >= top else y + 17,
            )
        )
    low_d, high_d = Decimal(str(low)), Decimal(str(high))
    middle = (low_d + high_d) / 2
    tick_values = [high_d, low_d] + ([middle] if high_d - low_d >= 4 and middle == middle.to_integral_value() else [])
    ticks = tuple(Tick(y=_n(y_of(v)), value=v) for v in tick_values)
    return Chart(
        width=width,
        height=height,
        points=tuple(points),
        target_y=target_y,
        start_y=y_of(start),
        top_label=fmt(high),
        bottom_label=fmt(low),
        polyline=" ".join(f"{p.cx},{p.cy}" for p in points),
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        ticks=ticks,
        target_label_y=target_y - 5 if target_y - 5 - 11 >= 0 else target_y + 14,
        date_y=bottom + 18,
    )
