"""Walk the portal's URL conf and build a request path for every view."""

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

# Tried in order; the first value a converter's regex accepts fills it.
SAMPLE_VALUES = ["1", "x", "2026-01-05", "2025", str(uuid.UUID(int=1)), "csv"]
ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^)]*)\)")


@dataclass(frozen=True)
class Endpoint:
    """One URL pattern with a path that resolves to it."""

    name: str
    path: str
    callback: Any


def sample_value(regex: str) -> str:
    alternatives = regex.split("|")
    if all(re.fullmatch(r"[\w-]+", choice) for choice in alternatives):
        return alternatives[0]
    for value in SAMPLE_VALUES:
        if re.fullmatch(regex, value):
            return value
    raise ValueError(f"No sample value matches the URL regex {regex!r}.")


def _route_path(pattern: RoutePattern) -> str:
    converters = pattern.converters

    def fill(match: re.Match[str]) -> str:
        return sample_value(converters[match["name"]].regex)

    return ROUTE_PARAMETER.sub(fill, str(pattern))


def _regex_path(pattern: RegexPattern) -> str:
    text = REGEX_GROUP.sub(lambda match: sample_value(match["body"]), str(pattern))
    return text.removeprefix("^").removesuffix("$").replace("\\.", ".")


def _pattern_path(pattern: RoutePattern | RegexPattern) -> str:
    if isinstance(pattern, RoutePattern):
        return _route_path(pattern)
    return _regex_path(pattern)


def _has_format_suffix(pattern: Any) -> bool:
    return "format" in getattr(pattern, "converters", {}) or "(?P<format>" in str(
        pattern
    )


def endpoints(
    patterns: list | None = None, prefix: str = "/", namespace: str = ""
) -> Iterator[Endpoint]:
    """Yield every view of the URL conf, skipping DRF's format-suffix twins."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if _has_format_suffix(entry.pattern):
            continue
        path = prefix + _pattern_path(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from endpoints(entry.url_patterns, path, inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else path
            yield Endpoint(name=name, path=path, callback=entry.callback)
