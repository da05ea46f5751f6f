"""Import civic groups from a CSV file; see docs/import.md."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from groups.services.imports import (
    COLUMNS,
    ENCODINGS,
    REQUIRED_COLUMNS,
    ImportFileError,
    import_groups,
)


def _columns_help() -> str:
    lines = []
    for column, names in COLUMNS.items():
        required = " (required)" if column in REQUIRED_COLUMNS else ""
        lines.append(f"  {column}{required}: {' / '.join(names[1:]) or column}")
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Import civic groups from a CSV file with a header row.\n"
        "Imported groups are approved, registered on the registered_on column\n"
        "or today. A row that matches an existing group (same corporate number,\n"
        "or same name ignoring character width in the same municipality)\n"
        "updates or skips it, so running the same file again creates nothing.\n"
        "\nColumns, by English or Japanese header:\n"
        + _columns_help()
        + "\n\nlegal_form: an English key (npo, voluntary, ...) or a Japanese name\n"
        "  such as NPO法人, 認定NPO法人, 任意団体, 自治会.\n"
        "municipality: a name (山口市) or local-government code (35203).\n"
        "activity_fields: numbers 1 to 20 separated by ; or 、.\n"
        "Dates: YYYY-MM-DD, YYYY/M/D or era dates such as 令和2年4月1日, H30.3.31.\n"
        "Full-width digits and any kind of hyphen are accepted.\n"
        "See docs/import.md."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any):  # type: ignore[no-untyped-def]
        from argparse import RawDescriptionHelpFormatter

        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path of the CSV file.")
        parser.add_argument(
            "--encoding",
            choices=ENCODINGS,
            default="auto",
            help="Text encoding of the file. auto reads UTF-8 (with or without "
            "BOM) and falls back to Shift_JIS (CP932). Default: auto.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check every row and report what would happen; change nothing.",
        )

    def handle(
        self, *args: Any, file: str, encoding: str, dry_run: bool, **options: Any
    ) -> None:
        try:
            with open(file, "rb") as handle:
                data = handle.read()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"  {done}/{total} rows")

        try:
            report = import_groups(
                data, encoding=encoding, dry_run=dry_run, progress=progress
            )
        except ImportFileError as error:
            raise CommandError(str(error)) from error

        for row_error in report.errors:
            self.stderr.write(f"Failed: {row_error}")
        heading = "Dry run, nothing saved" if dry_run else "Import finished"
        style = self.style.WARNING if report.errors else self.style.SUCCESS
        self.stdout.write(style(f"{heading} ({report.encoding}): {report.summary()}."))
