from django.core.management import call_command
from django.core.management.base import BaseCommand

from fasthold.notifications.tasks import ensure_tick


class Command(BaseCommand):
    help = (
        "Run the background worker (django-tasks-db's db_worker on Django's Tasks API): the notification "
        "outbox, the daily digests and the reminder digests. Queues the periodic tick first if none is waiting. "
        "Several may run at once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1, help="Seconds to wait when no task is ready.")
        parser.add_argument("--batch", action="store_true", help="Run the tasks that are ready, then stop.")
        parser.add_argument("--max-tasks", type=int, default=None)

    def handle(self, *args, interval: float, batch: bool, max_tasks: int | None, verbosity: int, **options):
        if not batch and ensure_tick():
            self.stdout.write("Queued the periodic tick.")
        call_command(
            "db_worker",
            interval=interval,
            batch=batch,
            max_tasks=max_tasks,
            reload=False,
            startup_delay=not batch,
            verbosity=verbosity,
        )
