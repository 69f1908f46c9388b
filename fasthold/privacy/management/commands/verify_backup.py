import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fasthold.privacy import backup, fingerprint


class Command(BaseCommand):
    help = (
        "Print every table's row count and content checksum (SHA-256). With --manifest FILE, compare "
        "the database with a backup's manifest and exit with 1 if anything differs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--manifest", type=Path, help="A backup's PATH.manifest.json to compare with.")
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args, manifest: Path | None, json: bool, **options):
        current = backup.current_fingerprints()
        if manifest is not None:
            try:
                expected = _load(manifest)["tables"]
            except (OSError, ValueError, KeyError, TypeError):
                raise CommandError(f"{manifest} is not a backup manifest.", returncode=2) from None
            differences = fingerprint.differences(expected, current)
            for line in differences:
                self.stderr.write(line)
            if differences:
                raise CommandError(f"{len(differences)} table(s) differ from the manifest.", returncode=1)
            self.stdout.write(f"All {len(current)} tables match the manifest.")
            return
        if json:
            self.stdout.write(_dumps(current))
            return
        for table, entry in current.items():
            self.stdout.write(f"{table}\t{entry['rows']}\t{entry['sha256']}")


def _load(path: Path) -> dict:
    return json.loads(path.read_text())


def _dumps(value) -> str:
    return json.dumps(value, indent=1, sort_keys=True)
