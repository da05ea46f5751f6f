"""The shipped message catalogs are complete, valid and compiled."""

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
JAPANESE_PO = LOCALE / "ja" / "LC_MESSAGES" / "django.po"
JAPANESE_MO = LOCALE / "ja" / "LC_MESSAGES" / "django.mo"

MSGFMT = shutil.which("msgfmt") or "msgfmt"
needs_msgfmt = pytest.mark.skipif(
    shutil.which("msgfmt") is None, reason="needs gettext's msgfmt"
)


def catalog(path: Path) -> dict:
    """Load the messages of a compiled catalog."""
    with path.open("rb") as mo_file:
        return dict(gettext.GNUTranslations(mo_file)._catalog)  # type: ignore[attr-defined]


@needs_msgfmt
def test_japanese_catalog_complete():
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [MSGFMT, "--check", "--statistics", "-o", "/dev/null", str(JAPANESE_PO)],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr, result.stderr
    assert "fuzzy" not in result.stderr, result.stderr


@needs_msgfmt
def test_japanese_mo_up_to_date(tmp_path):
    fresh = tmp_path / "django.mo"
    subprocess.run(  # noqa: S603 - fixed arguments
        [MSGFMT, "--check-format", "-o", str(fresh), str(JAPANESE_PO)], check=True
    )

    assert catalog(JAPANESE_MO) == catalog(fresh)


def test_catalog_translates_navigation():
    translation = gettext.translation("django", LOCALE, languages=["ja"])

    assert translation.gettext("Find volunteering") == "ボランティアを探す"
