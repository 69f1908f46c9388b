import datetime as dt
import logging

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from fasthold.cases.models import Case
from fasthold.kernel import NotAllowed
from fasthold.people.services import invitations_prune
from fasthold.privacy import services

logger = logging.getLogger(__name__)


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today must be a date as YYYY-MM-DD, not {value!r}.", returncode=2) from None


class Command(BaseCommand):
    help = (
        "Erase closed cases whose storage period has run out, with everything on them, and invitations "
        "finished more than 90 days ago. "
        "Run it daily. --dry-run lists what would go and changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would be erased; change nothing.")
        parser.add_argument("--today", help="Count from this date (YYYY-MM-DD) instead of today.")

    def handle(self, *args, dry_run: bool, today: str | None, **options):
        day = _date(today) if today else timezone.localdate()
        try:
            expired = services.expired_cases(day)
        except (ValueError, OverflowError):
            # A date so far back or ahead that the storage period cannot be counted from it.
            raise CommandError(
                f"--today {day.isoformat()} is outside the dates that can be counted.", returncode=2
            ) from None
        # Only opaque references, organisation and dates: never a name or CPR number, here or in logs.
        for item in expired:
            self.stdout.write(
                f"{item.public_id}  {item.organisation}  closed {item.closed_on.isoformat()}"
                f"  due {item.due.isoformat()}"
            )
        # Invitations carry a name and an address after they are used or lapse: they go after 90 days.
        now = timezone.now() if not today else timezone.make_aware(dt.datetime.combine(day, dt.time()))
        try:
            invitations = invitations_prune(now, dry_run=dry_run)
        except OverflowError:
            raise CommandError(
                f"--today {day.isoformat()} is outside the dates that can be counted.", returncode=2
            ) from None
        if dry_run:
            self.stdout.write(f"Dry run: {invitations} finished invitation(s) would be deleted.")
            self.stdout.write(f"Dry run: {len(expired)} case(s) would be erased. Nothing was changed.")
            return
        self.stdout.write(f"Deleted {invitations} finished invitation(s).")
        erased = 0
        for item in expired:
            case = Case.objects.filter(public_id=item.public_id).first()
            if case is None:  # erased by a run in parallel
                continue
            try:
                deleted = services.case_erase(actor=None, case=case)
            except NotAllowed:  # reopened since the list was read
                continue
            if deleted:
                erased += 1
                # The audit row's pseudonym, not the case's id: web server logs may hold that id in URLs.
                logger.info(
                    "Erased a case after its storage period (subject %s)",
                    services.subject_pseudonym(item.public_id)[:16],
                )
        self.stdout.write(f"Erased {erased} case(s).")
