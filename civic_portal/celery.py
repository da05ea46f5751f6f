"""The Celery application; tasks run eagerly when no broker is configured."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic_portal.settings.dev")

# PortalTask keeps a task in the database when the broker is unreachable.
app = Celery("civic_portal", task_cls="civic_portal.jobs.publishing:PortalTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Times are Japan time (CELERY_TIMEZONE).
app.conf.beat_schedule = {
    # Tasks kept while the broker was unreachable are sent again.
    "relay-pending-tasks": {
        "task": "civic_portal.jobs.tasks.relay_pending_tasks",
        "schedule": crontab(minute="*"),
    },
    "publish-scheduled-posts": {
        "task": "volunteering.tasks.publish_scheduled_posts",
        "schedule": crontab(minute="*/5"),
    },
    # The search filters and orders posts by their stored next session
    # start. This task moves it on within 5 minutes after a session starts.
    "refresh-next-session-starts": {
        "task": "volunteering.tasks.refresh_next_session_starts",
        "schedule": crontab(minute="*/5"),
    },
    "send-session-reminders": {
        "task": "volunteering.tasks.send_session_reminders",
        "schedule": crontab(hour=9, minute=0),
    },
    "send-daily-matching-mails": {
        "task": "volunteering.tasks.send_matching_mails",
        "schedule": crontab(hour=7, minute=0),
        "args": ("daily",),
    },
    "send-weekly-matching-mails": {
        "task": "volunteering.tasks.send_matching_mails",
        "schedule": crontab(hour=7, minute=30, day_of_week="mon"),
        "args": ("weekly",),
    },
    # Once a year each public group's admins are asked to confirm its
    # information; groups unconfirmed for 18 months are flagged.
    "request-group-information-confirmations": {
        "task": "groups.tasks.directory.request_information_confirmations",
        "schedule": crontab(hour=9, minute=0, day_of_month=1, month_of_year=6),
    },
    # A group's legal form follows the certification in force today.
    "sync-certified-legal-forms": {
        "task": "groups.tasks.registration.sync_certified_forms",
        "schedule": crontab(hour=0, minute=15),
    },
    # Support requests waiting longer than their state's limit: one
    # reminder per request and stay in a state.
    "send-overdue-request-reminders": {
        "task": "probono.tasks.requests.send_overdue_reminders",
        "schedule": crontab(hour=8, minute=30),
    },
    # Pending proposals past their reply deadline lapse, and each worker
    # gets one mail about it.
    "lapse-expired-proposals": {
        "task": "probono.tasks.proposals.lapse_expired_proposals",
        "schedule": crontab(minute=0),
    },
    # Undone milestones due within 3 days: one progress check per milestone.
    "send-milestone-progress-checks": {
        "task": "probono.tasks.projects.send_progress_checks",
        "schedule": crontab(hour=8, minute=0),
    },
    # Stores the indicators of the current fiscal year, and of the last one
    # until it is frozen.
    "recompute-indicator-snapshots": {
        "task": "indicators.tasks.recompute_snapshots",
        "schedule": crontab(hour=2, minute=30),
    },
    # Prefectural staff are reminded in late March to freeze the year.
    "send-indicator-freeze-reminders": {
        "task": "indicators.tasks.send_freeze_reminders",
        "schedule": crontab(hour=9, minute=0, day_of_month=20, month_of_year=3),
    },
    # Action items past their due date: one mail to the owner per due date.
    "send-overdue-action-item-reminders": {
        "task": "facilitation.tasks.meetings.send_overdue_action_item_reminders",
        "schedule": crontab(hour=8, minute=45),
    },
    # Agendas of the meetings in the coming week are drafted from the open
    # cases, so that the chief facilitator can edit them before the meeting.
    "draft-upcoming-agendas": {
        "task": "facilitation.tasks.meetings.draft_upcoming_agendas",
        "schedule": crontab(hour=6, minute=0),
    },
    # Expired LINE link tokens and nonces, and old webhook event ids.
    "purge-line-linking-records": {
        "task": "notifications.tasks.purge_line_linking_records",
        "schedule": crontab(hour=3, minute=15),
    },
}
