from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fasthold.privacy import backup


class Command(BaseCommand):
    help = (
        "Back up the whole database to PATH (SQLite: online backup; PostgreSQL: pg_dump -Fc), with "
        "PATH.manifest.json holding every table's row count and checksum."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        try:
            manifest = backup.backup(path)
        except backup.BackupError as error:
            raise CommandError(str(error), returncode=2) from None
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(f"Backed up {len(manifest['tables'])} tables ({rows} rows) to {path}.")
