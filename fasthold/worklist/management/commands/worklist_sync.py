from django.core.management.base import BaseCommand

from fasthold.worklist.sync import sync


class Command(BaseCommand):
    help = "Find what has become due in the cases (overdue deadlines, no contact, plan evaluations, unconfirmed agreements) and close what has gone away. The worker runs it every five minutes."

    def handle(self, *args, **options):
        for kind, (added, resolved) in sync().items():
            self.stdout.write(f"{kind}: {added} added, {resolved} resolved")
