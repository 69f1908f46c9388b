import time

from django.core.management.base import BaseCommand

from fasthold.cases.models import Case
from fasthold.deadlines.services import calendar_refresh_many


class Command(BaseCommand):
    help = "Recompute and store every case's calendar, e.g. after a rule pack was updated."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=2000)

    def handle(self, *args, batch: int, **options):
        started = time.perf_counter()
        ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
        written = 0
        for i in range(0, len(ids), batch):
            cases = list(Case.objects.filter(pk__in=ids[i : i + batch]).select_related("employment"))
            written += calendar_refresh_many(cases)
        self.stdout.write(
            f"Recomputed {len(ids)} calendars ({written} deadlines) in {time.perf_counter() - started:.1f} s."
        )
