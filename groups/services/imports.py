"""Import of the existing list of civic groups from a CSV file.

The management command `import_groups` and the admin's import page both
call import_groups(). The file may be UTF-8 (with or without BOM) or
Shift_JIS/CP932, as Excel in Japan saves it. Digits may be full-width and
phone, postal and corporate numbers may use any kind of hyphen.

A row matches an existing group by corporate number, or by name (compared
after NFKC, so full-width and half-width forms are equal, ignoring case and
spaces) within the same municipality. A matched group is updated or
skipped, so importing the same file twice creates nothing the second time.
The columns are documented in docs/import.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic_portal.fiscal import JAPAN
from groups.models import ActivityField, CivicGroup, GroupStatusChange, Municipality
from groups.normalize import (
    HYPHENS,
    clean_corporate_number,
    clean_group_name,
    clean_phone,
    clean_postal_code,
    name_key,
    normalize_number,
)

logger = logging.getLogger(__name__)

ENCODINGS = ("auto", "utf-8", "cp932")

# Column name in the file -> CivicGroup field. Japanese and English headers
# are both accepted; docs/import.md lists them with their formats.
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name", "団体名"),
    "name_kana": ("name_kana", "団体名ふりがな", "ふりがな", "フリガナ"),
    "legal_form": ("legal_form", "法人格", "団体種別"),
    "corporate_number": ("corporate_number", "法人番号"),
    "municipality": ("municipality", "市町村"),
    "postal_code": ("postal_code", "郵便番号"),
    "address": ("address", "所在地", "住所"),
    "representative": ("representative", "代表者"),
    "public_phone": ("public_phone", "電話番号"),
    "public_email": ("public_email", "メールアドレス"),
    "contact_name": ("contact_name", "担当者"),
    "contact_phone": ("contact_phone", "担当者電話番号"),
    "contact_email": ("contact_email", "担当者メールアドレス"),
    "website": ("website", "ウェブサイト", "ホームページ"),
    "founded_on": ("founded_on", "設立日"),
    "member_count": ("member_count", "会員数"),
    "activity_fields": ("activity_fields", "活動分野"),
    "description": ("description", "活動内容"),
    "registered_on": ("registered_on", "登録日"),
}
REQUIRED_COLUMNS = ("name", "legal_form", "municipality")

LEGAL_FORM_NAMES: dict[str, str] = {
    "npo法人": CivicGroup.LegalForm.NPO,
    "特定非営利活動法人": CivicGroup.LegalForm.NPO,
    "認定npo法人": CivicGroup.LegalForm.CERTIFIED_NPO,
    "認定特定非営利活動法人": CivicGroup.LegalForm.CERTIFIED_NPO,
    "特例認定npo法人": CivicGroup.LegalForm.SPECIAL_CERTIFIED_NPO,
    "特例認定特定非営利活動法人": CivicGroup.LegalForm.SPECIAL_CERTIFIED_NPO,
    "任意団体": CivicGroup.LegalForm.VOLUNTARY,
    "市民団体": CivicGroup.LegalForm.VOLUNTARY,
    "ボランティア団体": CivicGroup.LegalForm.VOLUNTARY,
    "自治会": CivicGroup.LegalForm.NEIGHBOURHOOD,
    "町内会": CivicGroup.LegalForm.NEIGHBOURHOOD,
    "地縁団体": CivicGroup.LegalForm.NEIGHBOURHOOD,
    "労働者協同組合": CivicGroup.LegalForm.WORKERS_COOPERATIVE,
    "ワーカーズコープ": CivicGroup.LegalForm.WORKERS_COOPERATIVE,
    "その他": CivicGroup.LegalForm.OTHER,
    "その他の非営利団体": CivicGroup.LegalForm.OTHER,
}

# Fields an update may change; the legal form and municipality identify
# the group and stay as they are.
UPDATABLE_FIELDS = (
    "name_kana",
    "corporate_number",
    "postal_code",
    "address",
    "representative",
    "public_phone",
    "public_email",
    "contact_name",
    "contact_phone",
    "contact_email",
    "website",
    "founded_on",
    "member_count",
    "description",
)
PROGRESS_EVERY = 100
_LIST_SEPARATORS = re.compile(r"[;,、・\s]+")
_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
# Japanese era dates such as 令和2年4月1日 or R2.4.1; the first year of an
# era may be written 元.
_ERA_DATE = re.compile(
    r"(令和|平成|昭和|[RHS])(\d{1,2}|元)[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
)
# The calendar year before each era's first year.
_ERA_OFFSETS = {
    "令和": 2018,
    "R": 2018,
    "平成": 1988,
    "H": 1988,
    "昭和": 1925,
    "S": 1925,
}


class ImportFileError(Exception):
    """The file as a whole cannot be read: wrong encoding or missing columns."""


@dataclass
class RowError:
    line: int
    name: str
    reasons: list[str]

    def __str__(self) -> str:
        return f"line {self.line} ({self.name or '-'}): {'; '.join(self.reasons)}"


@dataclass
class ImportReport:
    """The outcome of one import, row by row."""

    dry_run: bool
    encoding: str = ""
    total: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.errors)

    def summary(self) -> str:
        return (
            f"created {self.created}, updated {self.updated}, "
            f"skipped {self.skipped}, failed {self.failed} (of {self.total} rows)"
        )


def decode(data: bytes, encoding: str = "auto") -> tuple[str, str]:
    """Decode *data* and return (text, encoding used).

    "auto" reads UTF-8 (a BOM is dropped) and falls back to CP932, the
    Windows form of Shift_JIS. Raises ImportFileError when the bytes are
    not valid in the encoding.
    """
    if encoding not in ENCODINGS:
        raise ImportFileError(f"Unknown encoding {encoding!r}; use one of {ENCODINGS}.")
    candidates = ["utf-8-sig", "cp932"] if encoding == "auto" else [encoding]
    for candidate in candidates:
        if candidate == "utf-8":
            candidate = "utf-8-sig"
        try:
            return data.decode(candidate), candidate.removesuffix("-sig")
        except UnicodeDecodeError as error:
            last_error = error
    raise ImportFileError(
        _(
            "The file is not valid %(encoding)s text (byte %(position)s). "
            "Save it as UTF-8 or Shift_JIS CSV and try again."
        )
        % {
            "encoding": "UTF-8 or Shift_JIS" if encoding == "auto" else encoding,
            "position": last_error.start,
        }
    )


def _header_map(header: list[str]) -> dict[str, int]:
    """Map each known column to its index in *header*."""
    aliases = {
        name_key(alias): column for column, names in COLUMNS.items() for alias in names
    }
    found: dict[str, int] = {}
    for index, title in enumerate(header):
        column = aliases.get(name_key(title))
        if column and column not in found:
            found[column] = index
    missing = [column for column in REQUIRED_COLUMNS if column not in found]
    if missing:
        raise ImportFileError(
            _("The header row lacks the required columns: %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    return found


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number of the row's first line, cells) after the header."""
    reader = csv.reader(io.StringIO(text, newline=""))
    previous_end = 0
    for cells in reader:
        start, previous_end = previous_end + 1, reader.line_num
        if any(cell.strip() for cell in cells):
            yield start, cells


def _parse_date(value: str) -> dt.date:
    text = unicodedata.normalize("NFKC", value).strip().upper()
    match = _DATE.fullmatch(text)
    era_match = _ERA_DATE.fullmatch(text)
    if match is not None:
        year, month, day = (int(part) for part in match.groups())
    elif era_match is not None:
        era, era_year, month_text, day_text = era_match.groups()
        number = 1 if era_year == "元" else int(era_year)
        year, month, day = _ERA_OFFSETS[era] + number, int(month_text), int(day_text)
    else:
        raise ValidationError(
            _("Enter the date as YYYY-MM-DD or as an era date such as 令和2年4月1日.")
        )
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValidationError(
            _("%(value)s is not a date.") % {"value": value}
        ) from None


class _Lookups:
    """Reference data and existing groups, loaded once per import."""

    def __init__(self) -> None:
        self.municipalities: dict[str, Municipality] = {}
        for municipality in Municipality.objects.all():
            for key in (
                municipality.code,
                municipality.code_with_check_digit,
                municipality.name,
                municipality.name_en,
            ):
                self.municipalities[name_key(key)] = municipality
        self.fields = {field.number: field for field in ActivityField.objects.all()}
        self.by_name: dict[tuple[str, int], int] = {}
        self.by_number: dict[str, int] = {}
        existing = CivicGroup.objects.values_list(
            "pk", "name", "municipality_id", "corporate_number"
        )
        for pk, name, municipality_id, corporate_number in existing:
            self.by_name[(name_key(name), municipality_id)] = pk
            if corporate_number:
                self.by_number[corporate_number] = pk
        # Rows of this file already imported: key -> line number.
        self.lines_by_name: dict[tuple[str, int], int] = {}
        self.lines_by_number: dict[str, int] = {}

    def municipality(self, value: str) -> Municipality | None:
        key = name_key(value)
        found = self.municipalities.get(key)
        if found is None and not key.endswith(("市", "町")):
            # People write 山口 for 山口市 and 周防大島 for 周防大島町.
            found = self.municipalities.get(key + "市") or self.municipalities.get(
                key + "町"
            )
        return found


@dataclass
class _ParsedRow:
    values: dict[str, Any]
    municipality: Municipality | None
    fields: list[ActivityField]
    registered_on: dt.date | None
    reasons: list[str]


def _cell(cells: list[str], columns: dict[str, int], column: str) -> str:
    index = columns.get(column)
    if index is None or index >= len(cells):
        return ""
    return cells[index].strip()


def _parse_legal_form(value: str) -> str | None:
    key = name_key(value)
    if key in CivicGroup.LegalForm.values:
        return key
    return LEGAL_FORM_NAMES.get(key)


def _parse_row(
    cells: list[str], columns: dict[str, int], lookups: _Lookups
) -> _ParsedRow:
    reasons: list[str] = []
    values: dict[str, Any] = {}

    def text(column: str) -> str:
        return _cell(cells, columns, column)

    def clean(column: str, cleaner: Callable[[str], Any]) -> Any:
        raw = text(column)
        if not raw:
            return None
        try:
            return cleaner(raw)
        except ValidationError as error:
            reasons.append(f"{column}: {' '.join(error.messages)} ({raw})")
            return None

    values["name"] = clean_group_name(text("name"))
    if not values["name"]:
        reasons.append(_("name: missing."))
    values["name_kana"] = text("name_kana")
    legal_form = _parse_legal_form(text("legal_form"))
    if legal_form is None:
        reasons.append(
            _("legal_form: unknown legal form (%(value)s).")
            % {"value": text("legal_form")}
        )
    values["legal_form"] = legal_form or ""
    municipality = lookups.municipality(text("municipality"))
    if municipality is None:
        reasons.append(
            _("municipality: unknown municipality (%(value)s).")
            % {"value": text("municipality")}
        )
    values["corporate_number"] = clean("corporate_number", clean_corporate_number)
    values["postal_code"] = clean("postal_code", clean_postal_code)
    values["public_phone"] = clean("public_phone", clean_phone)
    values["contact_phone"] = clean("contact_phone", clean_phone)
    for column in (
        "address",
        "representative",
        "contact_name",
        "website",
        "description",
    ):
        values[column] = text(column)
    for column in ("public_email", "contact_email"):
        values[column] = unicodedata.normalize("NFKC", text(column)).lower()
    values["founded_on"] = clean("founded_on", _parse_date)
    values["member_count"] = clean("member_count", _parse_count)
    registered_on = clean("registered_on", _parse_date)
    fields = clean("activity_fields", lambda raw: _parse_fields(raw, lookups)) or []
    values = {name: value for name, value in values.items() if value is not None}
    return _ParsedRow(values, municipality, fields, registered_on, reasons)


def _parse_count(value: str) -> int:
    # normalize_number drops hyphens, so a leading minus sign of any kind
    # is caught before it would turn -5 into 5.
    text = unicodedata.normalize("NFKC", value).strip()
    digits = normalize_number(text).replace(",", "")
    if text.startswith(tuple(HYPHENS)) or not digits.isascii() or not digits.isdigit():
        raise ValidationError(_("Enter a whole number of 0 or more."))
    return int(digits)


def _parse_fields(value: str, lookups: _Lookups) -> list[ActivityField]:
    found: list[ActivityField] = []
    for part in _LIST_SEPARATORS.split(unicodedata.normalize("NFKC", value)):
        if not part:
            continue
        number = int(part) if part.isdigit() else None
        if number is None or number not in lookups.fields:
            raise ValidationError(
                _("Use the numbers 1 to %(max)s of the activity fields.")
                % {"max": len(lookups.fields)}
            )
        found.append(lookups.fields[number])
    return found


def _validation_reasons(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [
            f"{name}: {' '.join(messages)}"
            for name, messages in error.message_dict.items()
        ]
    return list(error.messages)


def _match(
    parsed: _ParsedRow, lookups: _Lookups, line: int
) -> tuple[int | None, list[str]]:
    """Return the id of the existing group the row describes, or reasons it fails."""
    assert parsed.municipality is not None
    key = (name_key(parsed.values["name"]), parsed.municipality.pk)
    number = parsed.values.get("corporate_number", "")
    earlier = lookups.lines_by_name.get(key) or (
        lookups.lines_by_number.get(number) if number else None
    )
    if earlier is not None:
        return None, [
            _("duplicate of line %(line)s in this file (same name or number).")
            % {"line": earlier}
        ]
    by_name = lookups.by_name.get(key)
    by_number = lookups.by_number.get(number) if number else None
    if by_name and by_number and by_name != by_number:
        return None, [
            _(
                "the name matches group %(name_id)s but the corporate number "
                "matches group %(number_id)s; fix the row or the registry."
            )
            % {"name_id": by_name, "number_id": by_number}
        ]
    lookups.lines_by_name[key] = line
    if number:
        lookups.lines_by_number[number] = line
    return by_name or by_number, []


def _create(parsed: _ParsedRow, import_date: dt.date) -> CivicGroup:
    registered_on = parsed.registered_on or import_date
    group = CivicGroup(
        **parsed.values,
        municipality=parsed.municipality,
        review_status=CivicGroup.ReviewStatus.APPROVED,
        status=CivicGroup.Status.ACTIVE,
        registered_on=registered_on,
        approved_at=timezone.now(),
    )
    group.full_clean(exclude=["search_text"])
    group.save()
    group.activity_fields.set(parsed.fields)
    GroupStatusChange.objects.create(
        group=group,
        status=CivicGroup.Status.ACTIVE,
        effective_on=registered_on,
        note="Imported from the existing list",
    )
    return group


def _update(group: CivicGroup, parsed: _ParsedRow) -> bool:
    """Copy the row's values onto *group*; return whether anything changed.

    A group that has staff on the portal keeps what they entered, so only
    its empty fields are filled in.
    """
    managed = group.memberships.exists()
    changed: list[str] = []
    for name in UPDATABLE_FIELDS:
        value = parsed.values.get(name)
        if value in (None, ""):
            continue
        current = getattr(group, name)
        if current == value or (managed and current not in (None, "")):
            continue
        setattr(group, name, value)
        changed.append(name)
    if changed:
        group.full_clean(exclude=["search_text"])
        group.save()
    if parsed.fields and not group.activity_fields.exists():
        group.activity_fields.set(parsed.fields)
        changed.append("activity_fields")
    return bool(changed)


def import_groups(
    data: bytes,
    *,
    encoding: str = "auto",
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import the groups in the CSV *data*; see the module docstring.

    A dry run does all the same work and checks in a transaction that is
    rolled back, so its report is what a real import would do. Raises
    ImportFileError when the file cannot be read at all.
    """
    text, used_encoding = decode(data, encoding)
    all_rows = list(_rows(text))
    if not all_rows:
        raise ImportFileError(_("The file is empty."))
    (_header_line, header), *rows = all_rows
    columns = _header_map(header)
    report = ImportReport(dry_run=dry_run, encoding=used_encoding, total=len(rows))
    import_date = timezone.localdate(timezone=JAPAN)
    logger.info(
        "Group import started: %s rows, %s, dry run %s",
        len(rows),
        used_encoding,
        dry_run,
    )
    with transaction.atomic():
        lookups = _Lookups()
        for done, (line, cells) in enumerate(rows, start=1):
            _import_row(line, cells, columns, lookups, report, import_date)
            if progress and (done % PROGRESS_EVERY == 0 or done == len(rows)):
                progress(done, len(rows))
        if dry_run:
            transaction.set_rollback(True)
    logger.info("Group import finished: %s", report.summary())
    return report


def _import_row(
    line: int,
    cells: list[str],
    columns: dict[str, int],
    lookups: _Lookups,
    report: ImportReport,
    import_date: dt.date,
) -> None:
    parsed = _parse_row(cells, columns, lookups)
    name = parsed.values.get("name", "")
    reasons = parsed.reasons
    existing_id: int | None = None
    if not reasons:
        existing_id, reasons = _match(parsed, lookups, line)
    if reasons:
        report.errors.append(RowError(line, name, reasons))
        return
    try:
        with transaction.atomic():
            if existing_id is None:
                group = _create(parsed, import_date)
                lookups.by_name[(name_key(group.name), group.municipality_id)] = (
                    group.pk
                )
                report.created += 1
            elif _update(CivicGroup.objects.get(pk=existing_id), parsed):
                report.updated += 1
            else:
                report.skipped += 1
    except ValidationError as error:
        report.errors.append(RowError(line, name, _validation_reasons(error)))
