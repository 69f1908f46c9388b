"""What the backup and restore commands share: the PATH of the backup, and a BackupError as one line with
exit code 2."""

from pathlib import Path

from django.core.management.base import BaseCommand

from fasthold.commands import BadInput
from fasthold.privacy import backup


class BackupFileCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def with_backup(self, action, path: Path):
        """`action(path)`, with a BackupError (no such folder, an unreadable file) as bad input."""
        try:
            return action(path)
        except backup.BackupError as error:
            raise BadInput(str(error)) from None
