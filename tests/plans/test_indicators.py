from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from fasthold.plans import indicators

values = st.decimals(min_value=-100, max_value=100, places=1, allow_nan=False, allow_infinity=False)


def test_direction_follows_start_and_target():
    assert indicators.direction(8, 3) == "down"
    assert indicators.direction(3, 8) == "up"
    assert indicators.direction(5, 5) == ""


def test_scale_problems():
    assert indicators.scale_problems(0, 10, 8, 3) == {}
    assert indicators.scale_problems(0, 10, 5, 5) == {"target_value": "equals_start"}
    assert indicators.scale_problems(0, 10, 11, 3) == {"start_value": "outside"}
    assert indicators.scale_problems(10, 0, 5, 3) == {"scale_max": "max_not_above_min"}


@given(
    low=values,
    span=st.decimals(min_value=Decimal("0.5"), max_value=100, places=1),
    data=st.lists(st.floats(min_value=0, max_value=1), min_size=1, max_size=20),
)
def test_chart_points_stay_inside_the_plot(low, span, data):
    high = low + span
    vals = [(str(i), low + Decimal(str(round(f, 3))) * span) for i, f in enumerate(data)]
    chart = indicators.chart(vals, low=low, high=high, start=low, target=high)
    for p in chart.points:
        assert chart.left <= p.x <= chart.right
        assert chart.top - 0.1 <= p.y <= chart.bottom + 0.1
    assert chart.target_y <= chart.start_y  # higher values are drawn higher up
