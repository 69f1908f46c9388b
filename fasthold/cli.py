"""The `fasthold` console script: Django's management commands with Fasthold's settings."""

import os
import sys

from django.core.management import execute_from_command_line


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fasthold.settings")

    args = list(sys.argv[1:] if argv is None else argv)
    # Command modules cannot contain hyphens; the CLI contract uses them (business-case).
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    execute_from_command_line(["fasthold", *args])


if __name__ == "__main__":
    main()
