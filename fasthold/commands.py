"""Support for Fasthold's CLI commands: JSON out, one-line errors with exit code 2."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError


class BadInput(CommandError):
    """Bad command-line input: one line on stderr, exit code 2."""

    def __init__(self, message: str):
        super().__init__(message, returncode=2)


class CliCommand(BaseCommand):
    """A command whose argument errors print one line and exit 2, like its other bad input."""

    requires_system_checks = []

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def one_line_error(message: str):
            sys.stderr.write(f"error: {message}\n")
            sys.exit(2)

        parser.error = one_line_error
        return parser

    def write_json(self, data) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
