"""The accessibility policy page and the record of the last axe-core audit.

The record is a JSON file that tests/browser/test_accessibility.py writes
when it runs with ACCESSIBILITY_AUDIT_RECORD=1 and every audit passes, so
the page shows the date and result of a real run instead of typed text.
"""

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.views.generic import TemplateView

AUDIT_RECORD = Path(__file__).resolve().parent / "accessibility_audit.json"


@dataclass(frozen=True)
class AuditRecord:
    """The outcome of one run of the axe-core audit over the portal's pages."""

    tested_on: dt.date
    axe_core_version: str
    browser: str
    pages: int
    violations: int


def load_audit_record(path: Path = AUDIT_RECORD) -> AuditRecord:
    """Read the audit record that the accessibility tests wrote."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return AuditRecord(
        tested_on=dt.date.fromisoformat(data["tested_on"]),
        axe_core_version=data["axe_core_version"],
        browser=data["browser"],
        pages=int(data["pages"]),
        violations=int(data["violations"]),
    )


def write_audit_record(record: AuditRecord, path: Path = AUDIT_RECORD) -> None:
    """Store an audit record as JSON for the policy page."""
    data = {
        "tested_on": record.tested_on.isoformat(),
        "axe_core_version": record.axe_core_version,
        "browser": record.browser,
        "pages": record.pages,
        "violations": record.violations,
    }
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


class AccessibilityView(TemplateView):
    template_name = "accessibility.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["audit"] = load_audit_record()
        return context
