"""The extent of absence shown for a case, derived from the graded return schedule. No Django here.

The recorded extent ("full-time absence") is what was true when the case was opened; once a graded
schedule runs, the week's hours say more. For the current week: the hours actually worked when they are
recorded, otherwise the hours the schedule plans; none of either, no derived extent (the recorded value
stands).
"""

from dataclasses import dataclass
from datetime import date, timedelta

FULL, PARTIAL, NONE = "full", "partial", "none"


@dataclass(frozen=True)
class Extent:
    kind: str  # FULL (no hours worked), PARTIAL (some), NONE (at least the normal hours)
    worked_hours: float
    normal_hours: float
    recorded: bool  # True: hours actually worked were recorded; False: the schedule's plan

    @property
    def absence_hours(self) -> float:
        return max(0.0, self.normal_hours - self.worked_hours)


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def current_extent(
    *, today: date, normal_hours: float, planned: dict[date, float], actual: dict[date, float]
) -> Extent | None:
    """The extent in the week holding `today`. `planned` and `actual` map a week's Monday to its hours."""
    week = monday(today)
    if week in actual:
        worked, recorded = float(actual[week]), True
    elif week in planned:
        worked, recorded = float(planned[week]), False
    else:
        return None
    normal = float(normal_hours)
    if worked <= 0:
        kind = FULL
    elif normal > 0 and worked >= normal:
        kind = NONE
    else:
        kind = PARTIAL
    return Extent(kind=kind, worked_hours=worked, normal_hours=normal, recorded=recorded)
