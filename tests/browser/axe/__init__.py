"""Run axe-core in a Playwright page and report its WCAG violations.

axe-core is the npm package pinned in package.json at the project root and
installed into node_modules/ by `npm ci`. The script is evaluated through
the DevTools protocol (`page.evaluate`), which the page's Content Security
Policy does not govern, so the page is audited exactly as residents get
it. `add_script_tag` would insert an inline script that the policy blocks,
and `bypass_csp=True` would audit a page that
residents never get.
"""

import json
import shutil
from functools import cache
from pathlib import Path

import pytest
from playwright.sync_api import Page

PROJECT_ROOT = Path(__file__).resolve().parents[3]
AXE_PACKAGE = PROJECT_ROOT / "node_modules" / "axe-core"
PACKAGE_JSON = PROJECT_ROOT / "package.json"
# WCAG 2.0 and 2.1 at levels A and AA. JIS X 8341-3:2016 level AA matches
# WCAG 2.0 AA, and 2.1 adds criteria such as 1.3.5 Identify Input Purpose.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pinned_axe_version() -> str:
    """Return the axe-core version that package.json pins."""
    manifest = json.loads(PACKAGE_JSON.read_text(encoding="utf-8"))
    return manifest["devDependencies"]["axe-core"]


@cache
def axe_source() -> str:
    """Return axe.min.js, or skip the test when `npm ci` has not been run.

    CI installs npm and runs `npm ci`, so the skip only happens on a
    developer machine without Node.js.
    """
    script = AXE_PACKAGE / "axe.min.js"
    if not script.exists():
        hint = "npm ci" if shutil.which("npm") else "apt-get install npm && npm ci"
        pytest.skip(f"{script} not found: run `{hint}` in {PROJECT_ROOT}")
    installed = json.loads((AXE_PACKAGE / "package.json").read_text())["version"]
    if installed != pinned_axe_version():
        pytest.fail(
            f"node_modules has axe-core {installed} but package.json pins "
            f"{pinned_axe_version()}: run `npm ci`"
        )
    return script.read_text(encoding="utf-8")


def find_violations(page: Page) -> list[dict]:
    """Run axe on the page as it is now and return the WCAG A/AA violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    return result["violations"]


def describe_violations(violations: list[dict]) -> str:
    """Format violations as one block per rule: id, impact, help and nodes."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            summary = node.get("failureSummary", "").replace("\n", " ")
            lines.append(f"    {target}: {summary}")
    return "\n".join(lines)
