import time

from django.core.management.base import BaseCommand

from fasthold.deadlines import reminders


class Command(BaseCommand):
    help = "Send today's reminder digests. With --loop, keep running and check every --interval seconds."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true")
        parser.add_argument("--interval", type=int, default=300)

    def handle(self, *args, loop: bool, interval: int, **options):
        while True:
            sent = reminders.run_once()
            self.stdout.write(f"Sent {sent} reminder digest(s).")
            if not loop:
                return
            time.sleep(interval)
