"""Kaplan–Meier curves as SVG geometry: step paths, confidence bands and axis ticks. No Django here.

Coordinates are formatted here with a dot and fixed decimals, so no locale can change them on the way
into the page.
"""

from dataclasses import dataclass

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 44
# Each group is drawn in its own style (fasthold.css .fh-km-0 … .fh-km-3: colour and dash pattern, so
# the groups differ without colour alone); a fifth group takes the first style again.
STYLES = 4


@dataclass(frozen=True)
class Series:
    label: str
    points: list[tuple[float, float, float, float]]  # (time, survival, lower, upper), time ascending from 0


def _n(value: float) -> str:
    return f"{value:.1f}"


def _x(t: float, horizon: float) -> float:
    return LEFT + (WIDTH - LEFT - RIGHT) * min(t, horizon) / horizon


def _y(p: float) -> float:
    # The curves show the share returned (1 − survival), rising as people return to work.
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - p)


def _steps(points: list[tuple[float, float]], horizon: float) -> list[tuple[float, float]]:
    out, previous = [], None
    for t, p in points:
        if t > horizon:
            break
        if previous is not None:
            out.append((_x(t, horizon), _y(previous)))
        out.append((_x(t, horizon), _y(p)))
        previous = p
    if previous is not None:
        out.append((_x(horizon, horizon), _y(previous)))
    return out


def _path(coords: list[tuple[float, float]]) -> str:
    return "M" + " L".join(f"{_n(x)} {_n(y)}" for x, y in coords)


def geometry(series: list[Series], horizon: float, ticks: list[float]) -> dict:
    """What the template draws: per group a line and a band, plus the axes."""
    groups = []
    for index, s in enumerate(series):
        line = _steps([(t, 1 - surv) for t, surv, _lo, _hi in s.points], horizon)
        upper = _steps([(t, 1 - lo) for t, _s, lo, _hi in s.points], horizon)
        lower = _steps([(t, 1 - hi) for t, _s, _lo, hi in s.points], horizon)
        band = _path(upper + list(reversed(lower))) + " Z" if upper and lower else ""
        groups.append({"label": s.label, "line": _path(line) if line else "", "band": band, "style": index % STYLES})
    x_ticks = [{"x": _n(_x(t, horizon)), "label": f"{t:g}"} for t in ticks if t <= horizon]
    y_ticks = [{"y": _n(_y(p)), "label": f"{round(p * 100)} %"} for p in (0, 0.25, 0.5, 0.75, 1)]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "groups": groups,
        "x_ticks": x_ticks,
        "y_ticks": y_ticks,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "top": TOP,
        "bottom": _n(HEIGHT - BOTTOM),
        "x_label_y": HEIGHT - 4,
        "middle": _n((LEFT + WIDTH - RIGHT) / 2),
    }
