"""Collect the pages that the axe-core test modules audit, and record the result.

With ACCESSIBILITY_AUDIT_RECORD=1, civic_portal/accessibility_audit.json is
written once every module in AUDIT_MODULES has finished in this pytest
run with no failed test, so the accessibility policy page counts the
public, resident and staff pages together.
"""

import os
from collections import defaultdict
from collections.abc import Iterator

import pytest
from django.utils import timezone
from playwright.sync_api import Browser

from civic_portal.accessibility import AuditRecord, write_audit_record
from tests.browser.axe import pinned_axe_version

RECORD_VARIABLE = "ACCESSIBILITY_AUDIT_RECORD"
AUDIT_MODULES = frozenset(
    {"tests.browser.test_accessibility", "tests.browser.test_accessibility_staff"}
)
# The (page language, page label) pairs audited in this run, by test module.
audited_pages: dict[str, set[tuple[str, str]]] = defaultdict(set)
passed_modules: set[str] = set()


def record_after_module(
    request: pytest.FixtureRequest, browser: Browser
) -> Iterator[None]:
    """Run the module's tests, then write the record if every audit module passed.

    A module fixture delegates to this generator with `yield from`.
    """
    module = request.module.__name__
    failures_before = request.session.testsfailed
    yield
    if request.session.testsfailed > failures_before or not audited_pages[module]:
        return
    passed_modules.add(module)
    if os.environ.get(RECORD_VARIABLE) != "1" or passed_modules != AUDIT_MODULES:
        return
    pages = set().union(*(audited_pages[name] for name in AUDIT_MODULES))
    record = AuditRecord(
        tested_on=timezone.localdate(),
        axe_core_version=pinned_axe_version(),
        browser=f"Chromium {browser.version}",
        pages=len(pages),
        violations=0,
    )
    write_audit_record(record)
