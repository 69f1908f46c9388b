from pathlib import Path

from fasthold.privacy import backup
from fasthold.privacy.management.backup_file import BackupFileCommand


class Command(BackupFileCommand):
    help = (
        "Back up the whole database to PATH (SQLite: online backup; PostgreSQL: pg_dump -Fc), with "
        "PATH.manifest.json holding every table's row count and checksum."
    )

    def handle(self, *args, path: Path, **options):
        manifest = self.with_backup(backup.backup, path)
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(f"Backed up {len(manifest['tables'])} tables ({rows} rows) to {path}.")
