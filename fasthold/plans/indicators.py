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


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    value: Decimal
    label: str


@dataclass(frozen=True)
class Chart:
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


def fmt(value) -> str:
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def chart(values: list[tuple[str, Decimal]], *, low, high, start, target, width: int = 320, height: int = 150) -> Chart:
    """Coordinates for a line chart of `values` (label, value) on the scale low..high, with the
    target drawn as a line. The SVG template draws it; every point also carries its value as text."""
    left, right, top, bottom = 36, width - 12, 12, height - 28
    span = float(high - low) or 1.0

    def y_of(v) -> float:
        return round(bottom - (float(v) - float(low)) / span * (bottom - top), 1)

    n = len(values)
    step = (right - left) / (n - 1) if n > 1 else 0
    points = tuple(
        ChartPoint(x=round(left + i * step if n > 1 else (left + right) / 2, 1), y=y_of(v), value=v, label=label)
        for i, (label, v) in enumerate(values)
    )
    return Chart(
        width=width,
        height=height,
        points=points,
        target_y=y_of(target),
        start_y=y_of(start),
        top_label=fmt(high),
        bottom_label=fmt(low),
        polyline=" ".join(f"{p.x},{p.y}" for p in points),
        left=left,
        right=right,
        top=top,
        bottom=bottom,
    )
