"""Rules of the /api/ endpoints; see the package docstring for the format."""

from __future__ import annotations

from civic_portal.security.permissions.rules import Rule

API_RULES: list[Rule] = []
