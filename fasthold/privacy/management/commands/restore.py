from pathlib import Path

from django.core.management.base import CommandError

from fasthold.privacy import backup
from fasthold.privacy.management.backup_file import BackupFileCommand


class Command(BackupFileCommand):
    help = (
        "Replace the whole database with the backup at PATH, then check every table's row count and "
        "checksum against PATH.manifest.json. Exits with 1 if anything differs."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--no-input", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, path: Path, no_input: bool, **options):
        if not no_input:
            answer = input(f"This replaces everything in the database with {path}. Type 'yes' to go on: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing was changed.", returncode=2)
        differences = self.with_backup(backup.restore, path)
        if differences:
            for line in differences:
                self.stderr.write(line)
            raise CommandError("Restored, but the database differs from the backup's manifest.", returncode=1)
        self.stdout.write(f"Restored {path}: every table's row count and checksum match the backup.")
        # A backup older than the last erasure brings erased cases back: erase them again now.
        self.stdout.write("Now run `fasthold erase_expired`: cases erased since this backup was made are back.")
