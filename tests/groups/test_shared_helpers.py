"""The helpers that groups and volunteering share live in civic_portal."""

import pytest

import civic_portal.tasks
import civic_portal.views
import volunteering.tasks
import volunteering.views.staff


@pytest.mark.parametrize(
    "name", ["attach_errors", "log_rejection", "message_errors", "signed_in_user"]
)
def test_staff_views_reexport(name):
    assert getattr(volunteering.views.staff, name) is getattr(civic_portal.views, name)


@pytest.mark.parametrize("name", ["RETRY_ERRORS", "RETRY_OPTIONS", "site_url"])
def test_volunteering_tasks_reexport(name):
    assert getattr(volunteering.tasks, name) is getattr(civic_portal.tasks, name)


def test_site_url_absolute(settings):
    settings.SITE_URL = "https://portal.example.jp"

    assert civic_portal.tasks.site_url("groups:detail", 7) == (
        "https://portal.example.jp/groups/7/"
    )
