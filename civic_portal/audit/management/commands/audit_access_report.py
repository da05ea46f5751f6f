"""List the people whose personal data staff accessed in a time window.

After a leak, an administrator runs this to find the affected people, the
fields seen and the first and last access, for example:

    manage.py audit_access_report --since 2026-04-01 --until 2026-04-08 --format csv
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from civic_portal.audit.selectors import REPORT_HEADER, affected_people, report_rows
from civic_portal.exports import csv_bytes
from civic_portal.fiscal import JAPAN

logger = logging.getLogger(__name__)


def parse_moment(value: str) -> dt.datetime:
    """Parse an ISO date or date-time; a date or a naive time is Japan time."""
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise ValueError(value)
        moment = dt.datetime.combine(day, dt.time())
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=JAPAN)
    return moment


def _moment_argument(value: str) -> dt.datetime:
    try:
        return parse_moment(value)
    except ValueError:
        raise CommandError(
            f"Invalid date or time {value!r}; use YYYY-MM-DD or YYYY-MM-DDTHH:MM."
        ) from None


class Command(BaseCommand):
    help = (
        "List the people whose personal data was viewed or exported in a time "
        "window: subject id, current e-mail, fields, first and last access."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--since",
            required=True,
            help="Start of the window, inclusive: YYYY-MM-DD[THH:MM], Japan time "
            "unless an offset is given.",
        )
        parser.add_argument(
            "--until",
            required=True,
            help="End of the window, exclusive, in the same form as --since.",
        )
        parser.add_argument("--actor", type=int, help="Only accesses by this user ID.")
        parser.add_argument(
            "--field",
            help="Only accesses that include this register field, such as "
            "accounts.User.phone.",
        )
        parser.add_argument(
            "--format",
            choices=("csv", "json"),
            default="csv",
            help="Output format (default: csv, UTF-8 with a byte order mark).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        since = _moment_argument(options["since"])
        until = _moment_argument(options["until"])
        if until <= since:
            raise CommandError("--until must be later than --since.")
        logger.info(
            "Access report started: %s to %s, actor %s, field %s",
            since.isoformat(),
            until.isoformat(),
            options["actor"],
            options["field"],
        )
        people = affected_people(
            since, until, actor_id=options["actor"], field_name=options["field"]
        )
        if options["format"] == "json":
            payload = [person.as_dict() for person in people]
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            # The text keeps csv_bytes()'s byte order mark for Excel.
            content = csv_bytes(REPORT_HEADER, report_rows(people))
            self.stdout.write(content.decode("utf-8"), ending="")
        logger.info("Access report finished with %d affected people", len(people))
