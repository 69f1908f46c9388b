"""The pure iCalendar module: escaping and folding survive a round trip; lines stay within 75 octets."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from fasthold.meetings import ics

START = dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC)


def invitation(**kwargs):
    values = dict(
        uid="meeting-1@fasthold",
        sequence=0,
        starts_at=START,
        ends_at=START + dt.timedelta(hours=1),
        summary="Møde om tilbagevenden til arbejdet",
    )
    values.update(kwargs)
    return ics.Invitation(**values)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n;,\\æøå"), max_size=300))
def test_any_text_survives_escaping_and_folding(text):
    rendered = ics.render(invitation(description=text or "x", location=text or "y"), now=START)
    assert all(len(line.encode()) <= 75 for line in rendered.split("\r\n"))
    event = ics.parse(rendered)[1]
    assert event["DESCRIPTION"] == (text or "x").replace("\r\n", "\n").replace("\r", "\n")
    assert event["LOCATION"] == (text or "y").replace("\r\n", "\n").replace("\r", "\n")


def test_request_and_cancel():
    request = ics.parse(ics.render(invitation(sequence=3), now=START))
    assert request[0]["METHOD"] == "REQUEST"
    assert request[1]["SEQUENCE"] == "3" and request[1]["STATUS"] == "CONFIRMED"
    assert ics.parse_utc(request[1]["DTSTART"]) == START
    cancel = ics.parse(ics.render(invitation(sequence=4, cancelled=True), now=START))
    assert cancel[0]["METHOD"] == "CANCEL" and cancel[1]["STATUS"] == "CANCELLED"


def test_times_are_utc_whatever_the_zone():
    copenhagen = dt.timezone(dt.timedelta(hours=2))
    local = dt.datetime(2027, 6, 1, 10, tzinfo=copenhagen)
    event = ics.parse(ics.render(invitation(starts_at=local, ends_at=local + dt.timedelta(minutes=90)), now=START))[1]
    assert event["DTSTART"] == "20270601T080000Z"
    assert event["DTEND"] == "20270601T093000Z"


def test_naive_time_is_refused():
    import pytest

    with pytest.raises(ValueError):
        ics.utc_stamp(dt.datetime(2027, 1, 1, 9))


def test_attendee_and_organizer():
    event = ics.parse(
        ics.render(
            invitation(
                organizer=ics.Person("Karen Holm", "k@example.org"),
                attendee=ics.Person('Kurt "K" Jensen', "kurt@example.org"),
            ),
            now=START,
        )
    )[1]
    assert event["ORGANIZER"] == "mailto:k@example.org" and event["ORGANIZER_CN"] == "Karen Holm"
    assert event["ATTENDEE"] == "mailto:kurt@example.org" and event["ATTENDEE_CN"] == "Kurt 'K' Jensen"


def test_agenda_checklists_have_unique_keys_and_danish_text():
    from django.utils import translation

    from fasthold.meetings import agenda_builder

    keys = [item.key for group in agenda_builder.GROUPS for item in group.items]
    assert len(keys) == len(set(keys))
    assert all(len(key) <= 64 for key in keys)
    assert set(agenda_builder.DEFAULT_KEYS) <= set(keys)
    # Every checklist text has a Danish translation that differs from the English msgid.
    for group in agenda_builder.GROUPS:
        for item in group.items:
            with translation.override("en"):
                en = str(item.text)
            with translation.override("da"):
                da = str(item.text)
            assert da != en, item.key


def test_timeline_wording():
    from django.utils import translation

    from fasthold.meetings.wording import describe_event

    with translation.override("da"):
        text = describe_event("meeting_planned", {"meeting_kind": "joint", "date": "2027-03-12"})
    assert text.startswith("Fællesmøde planlagt til") and "2027" in text
    with translation.override("en"):
        assert describe_event("agreements_confirmed", {"date": "bad"}).startswith("Agreements confirmed: Meeting")
