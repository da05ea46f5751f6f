"""Every URL pattern of the project, split into pages, API and admin."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class UrlEntry:
    """One URL pattern: its name with namespace (None if unnamed) and route."""

    name: str | None
    namespace: str
    route: str

    def describe(self) -> str:
        return f"{self.route} ({self.name or 'unnamed'})"


def _walk(resolver: URLResolver, prefix: str, namespace: str) -> list[UrlEntry]:
    entries = []
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = (
                    f"{namespace}:{pattern.namespace}"
                    if namespace
                    else (pattern.namespace)
                )
            entries.extend(_walk(pattern, route, inner))
        elif isinstance(pattern, URLPattern):
            name = pattern.name
            if name and namespace:
                name = f"{namespace}:{name}"
            entries.append(UrlEntry(name=name, namespace=namespace, route=route))
    return entries


def all_entries() -> list[UrlEntry]:
    return _walk(get_resolver(), "", "")


def _is_api(entry: UrlEntry) -> bool:
    return entry.route.startswith("api/")


def _is_admin(entry: UrlEntry) -> bool:
    return entry.route.startswith("admin/")


def page_entries() -> list[UrlEntry]:
    """Return the patterns outside /api/ and the Django admin."""
    return [e for e in all_entries() if not _is_api(e) and not _is_admin(e)]


def api_entries() -> list[UrlEntry]:
    return [e for e in all_entries() if _is_api(e)]


def admin_entries() -> list[UrlEntry]:
    return [e for e in all_entries() if _is_admin(e)]


def route_of(name: str) -> str:
    """Return the route of the first pattern named *name*, for the written matrix."""
    for entry in all_entries():
        if entry.name == name:
            return "/" + entry.route
    raise LookupError(f"No URL pattern is named {name!r}.")
