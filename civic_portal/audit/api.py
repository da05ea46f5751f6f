"""Access logging for API viewsets that return other people's personal data."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models
from rest_framework.serializers import BaseSerializer

from civic_portal.audit.services import record_access


class AccessLogMixin:
    """Record, on GET list and retrieve, the personal data a viewset returns.

    The viewset defines audit_shown(), which returns the user ids and the
    register fields that the serializer shows for one object. Rows are
    written when the serializer is built, before the response is rendered.
    """

    def audit_shown(self, instance: Any) -> Mapping[int, Iterable[str]]:
        raise NotImplementedError

    def get_serializer(self, *args: Any, **kwargs: Any) -> BaseSerializer:
        serializer = super().get_serializer(*args, **kwargs)  # type: ignore[misc]
        request = self.request  # type: ignore[attr-defined]
        action = getattr(self, "action", None)
        if args and request.method == "GET" and action in ("list", "retrieve"):
            instance = args[0]
            many = kwargs.get("many", False)
            instances = instance if many else [instance]
            fields_shown: dict[int, Iterable[str]] = {}
            for item in instances:
                if isinstance(item, models.Model):
                    fields_shown.update(self.audit_shown(item))
            record_access(request._request, fields_shown)
        return serializer
