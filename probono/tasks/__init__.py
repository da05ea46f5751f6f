"""Celery tasks of the pro bono bank, one module per area."""

from . import case_studies as case_studies
from . import projects as projects
from . import proposals as proposals
from .requests import (
    send_overdue_reminders,
    send_request_filed,
    send_request_state_changed,
)

__all__ = ["send_overdue_reminders", "send_request_filed", "send_request_state_changed"]
