"""The schedule as saved through the services equals the generator's output; adjustments, actual hours,
the mixer's dial-down events and the copy on plan revision."""

import datetime as dt
from decimal import Decimal

from fasthold.cases.models import Audience, TimelineEvent
from fasthold.kernel import ConflictError, NotAllowed
from fasthold.schedules import selectors, services
from fasthold.schedules.generator import Phase, generate_schedule, schedule_from_phases
from fasthold.schedules.models import ReturnSchedule, ScheduleMode
from tests.schedules.base import ScheduleTestCase

SEED = dict(
    mode=ScheduleMode.GENERATED,
    start_date=dt.date(2026, 1, 5),
    workdays=["mon", "tue", "wed", "thu", "fri"],
    rest_days=["wed"],
    normal_week_hours=Decimal(37),
    start_hours=Decimal(2),
    step_hours=Decimal("0.5"),
    step_weeks=1,
    max_day_hours=Decimal(7),
    holidays="dk",
    quantum=Decimal("0.5"),
)
BODIL = dict(
    mode=ScheduleMode.PHASES,
    start_date=dt.date(2026, 1, 5),
    workdays=["mon", "tue", "wed", "thu", "fri"],
    rest_days=["wed"],
    normal_week_hours=Decimal(37),
    holidays="dk",
    quantum=Decimal("0.5"),
    phases=[{"week_hours": 10, "weeks": 2}, {"week_hours": 15, "weeks": 2}],
)


class SavedScheduleTests(ScheduleTestCase):
    def setUp(self):
        self.draft = self.revise(self.kurt)
        self.schedule = ReturnSchedule.objects.get(plan_version=self.draft)  # copied from the current version
        self.actor = self.world.users["koordinator"]

    def save(self, data):
        return services.schedule_save(
            actor=self.actor, version=self.draft, data=data, expected_version=self.schedule.version
        )

    def test_seed_table_is_reproduced_through_the_service(self):
        self.save(SEED)
        stored = ReturnSchedule.objects.get(pk=self.schedule.pk)
        expected = generate_schedule(
            dt.date(2026, 1, 5),
            workdays=("mon", "tue", "wed", "thu", "fri"),
            rest_days=("wed",),
            start_hours=2,
            step_hours=0.5,
            max_day_hours=7,
        )
        self.assertEqual(stored.generate(), expected)
        rows = [[d.hours if d.kind == "work" else d.kind for d in w.days[:5]] for w in stored.generate().weeks]
        self.assertEqual(rows[0], [2.0, 2.0, "rest", 2.0, 2.0])
        self.assertEqual(rows[1], [2.5, 2.5, "rest", 2.5, 2.5])
        self.assertEqual(rows[3], [3.5, 3.5, "rest", 3.5, 3.5])
        self.assertEqual(rows[-1], [7.0, 7.0, "rest", 7.0, 7.0])
        self.assertEqual(len(rows), 11)

    def test_bodils_phases_are_reproduced_through_the_service(self):
        self.save(BODIL)
        stored = ReturnSchedule.objects.get(pk=self.schedule.pk)
        days = ("mon", "tue", "thu", "fri")
        expected = schedule_from_phases(dt.date(2026, 1, 5), [Phase(10, days, 2), Phase(15, days, 2)])
        self.assertEqual(stored.generate(), expected)
        self.assertEqual([w.total_hours for w in stored.generate().weeks], [10.0, 10.0, 15.0, 15.0])

    def test_overrides_are_applied_on_top(self):
        self.save(SEED)
        schedule = ReturnSchedule.objects.get(pk=self.schedule.pk)
        services.schedule_day_set(
            actor=self.actor,
            schedule=schedule,
            expected_version=schedule.version,
            day=dt.date(2026, 1, 6),
            hours=Decimal(0),
            kind="rest",
        )
        services.schedule_day_set(
            actor=self.actor,
            schedule=schedule,
            expected_version=schedule.version,
            day=dt.date(2026, 1, 9),
            hours=Decimal(3),
            kind="work",
        )
        week = selectors.built(schedule).weeks[0]
        self.assertEqual([d.kind for d in week.days[:5]], ["work", "rest", "rest", "work", "work"])
        self.assertEqual(week.total_hours, 7.0)
        self.assertEqual(week.sick_hours, 30.0)
        services.schedule_day_reset(
            actor=self.actor, schedule=schedule, expected_version=schedule.version, day=dt.date(2026, 1, 6)
        )
        self.assertEqual(selectors.built(schedule).weeks[0].total_hours, 9.0)

    def test_a_stale_edit_is_refused(self):
        stale = self.schedule.version
        self.save(SEED)
        with self.assertRaises(ConflictError):
            services.schedule_save(actor=self.actor, version=self.draft, data=BODIL, expected_version=stale)
        self.assertEqual(ReturnSchedule.objects.get(pk=self.schedule.pk).mode, ScheduleMode.GENERATED)

    def test_current_version_cannot_be_changed(self):
        with self.assertRaises(NotAllowed):
            services.schedule_save(actor=self.actor, version=self.current(self.kurt), data=SEED, expected_version=1)

    def test_dial_down_is_recorded_as_an_event_without_notes(self):
        setting = self.schedule.mixer_settings.first()
        dials = {d.name: (d.level, d.note) for d in setting.dials.all()}
        dials["tasks"] = (0, "Kun én slags kørsel")
        services.mixer_save(
            actor=self.actor,
            schedule=self.schedule,
            expected_version=self.schedule.version,
            setting=setting,
            first_week=setting.first_week,
            last_week=setting.last_week,
            colours=["green"],
            dials=dials,
        )
        event = TimelineEvent.objects.filter(case=self.kurt, params__schedule="dial_down").get()
        self.assertEqual(event.audience, Audience.ALL)
        self.assertEqual(event.params["dial"], "tasks")
        self.assertEqual((event.params["from"], event.params["to"]), (1, 0))
        self.assertNotIn("Kun én slags", str(event.params))

    def test_revision_copies_the_schedule_with_its_parts(self):
        source = ReturnSchedule.objects.get(plan_version=self.current(self.kurt))
        self.assertEqual(self.schedule.generate(), source.generate())
        self.assertEqual(self.schedule.mixer_settings.count(), source.mixer_settings.count())
        self.assertEqual(sum(s.dials.count() for s in self.schedule.mixer_settings.all()), 6)
        self.assertEqual(self.schedule.checklist.count(), source.checklist.count())
        # The copy is independent: changing the draft leaves the current version's schedule alone.
        self.save(SEED)
        self.assertEqual(ReturnSchedule.objects.get(pk=source.pk).mode, ScheduleMode.PHASES)


class ActualHoursTests(ScheduleTestCase):
    def test_shortfall_is_flagged_as_a_signal(self):
        schedule = ReturnSchedule.objects.get(plan_version=self.current(self.kurt))
        # The demo's two weeks were worked as planned; a short third week is a signal.
        services.actual_week_record(
            actor=self.world.users["leder"],
            case=self.kurt,
            week_start=schedule.start_date + dt.timedelta(weeks=2),
            hours=Decimal(12),
            note="",
            expected_version=0,
        )
        view = selectors.schedule_view(schedule, actuals=selectors.actual_weeks(self.kurt))
        recorded = [c for c, _ in view.comparisons if c.actual is not None]
        self.assertEqual([c.short for c in recorded], [False, False, True])
        self.assertEqual(view.short_weeks, 1)

    def test_record_and_correct_with_lock(self):
        monday = dt.date(2026, 3, 2)
        leder = self.world.users["leder"]
        row = services.actual_week_record(
            actor=leder, case=self.kurt, week_start=monday, hours=Decimal(9), note="", expected_version=0
        )
        with self.assertRaises(ConflictError):
            services.actual_week_record(
                actor=self.world.users["kurt"],
                case=self.kurt,
                week_start=monday,
                hours=Decimal(8),
                note="",
                expected_version=0,
            )
        services.actual_week_record(
            actor=leder, case=self.kurt, week_start=monday, hours=Decimal(10), note="", expected_version=row.version
        )
        with self.assertRaises(ConflictError):
            services.actual_week_record(
                actor=leder, case=self.kurt, week_start=monday, hours=Decimal(11), note="", expected_version=row.version
            )
