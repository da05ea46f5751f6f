"""Celery tasks of the collaboration app, one module per area."""

from .meetings import draft_upcoming_agendas, send_overdue_action_item_reminders

__all__ = ["draft_upcoming_agendas", "send_overdue_action_item_reminders"]
