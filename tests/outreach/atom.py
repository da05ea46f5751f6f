"""Check a document against the required elements of Atom (RFC 4287)."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

ATOM = "{http://www.w3.org/2005/Atom}"


def parse_atom(body: bytes) -> ET.Element:
    """Parse *body* and assert the feed and entry elements RFC 4287 requires.

    Section 4.1.1: a feed has exactly one id, title and updated, and an
    author unless every entry has one. Section 4.1.2: an entry has exactly
    one id, title and updated, and a link since it has no content. Ids
    are absolute IRIs (section 4.2.6) and dates are RFC 3339 (3.3).
    """
    root = ET.fromstring(body)  # noqa: S314 - the portal's own output
    assert root.tag == f"{ATOM}feed", root.tag
    for name in ("id", "title", "updated"):
        assert len(root.findall(f"{ATOM}{name}")) == 1, f"feed needs one {name}"
    assert _is_absolute(root.findtext(f"{ATOM}id")), root.findtext(f"{ATOM}id")
    assert _is_date(root.findtext(f"{ATOM}updated"))
    feed_has_author = root.find(f"{ATOM}author/{ATOM}name") is not None
    for entry in root.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            count = len(entry.findall(f"{ATOM}{name}"))
            assert count == 1, f"entry needs one {name}, has {count}"
        assert _is_absolute(entry.findtext(f"{ATOM}id"))
        assert _is_date(entry.findtext(f"{ATOM}updated"))
        links = entry.findall(f"{ATOM}link[@rel='alternate']")
        assert len(links) == 1, "entry needs one alternate link"
        assert _is_absolute(links[0].get("href"))
        has_author = entry.find(f"{ATOM}author/{ATOM}name") is not None
        assert feed_has_author or has_author, "entry has no author"
    return root


def entry_titles(root: ET.Element) -> list[str]:
    return [entry.findtext(f"{ATOM}title") or "" for entry in root.iter(f"{ATOM}entry")]


def _is_absolute(value: str | None) -> bool:
    return value is not None and value.startswith(("http://", "https://", "tag:"))


def _is_date(value: str | None) -> bool:
    """Tell whether *value* is an RFC 3339 date-time with a time zone."""
    if not value:
        return False
    moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment.tzinfo is not None
