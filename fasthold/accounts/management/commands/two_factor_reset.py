from django.core.management.base import BaseCommand, CommandError

from fasthold.accounts import services
from fasthold.accounts.models import User


class Command(BaseCommand):
    help = (
        "Reset a user's two-factor login (lost phone and recovery codes): the device and recovery codes "
        "are removed, and the user sets it up again at the next login. Audited."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError("No such user.", returncode=2)
        if not services.device_reset(user=user):
            self.stdout.write("Two-factor login was not on for this user; nothing to reset.")
            return
        self.stdout.write("Two-factor login reset. The user sets it up again at the next login.")
