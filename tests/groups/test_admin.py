import datetime as dt

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from groups.models import (
    Certification,
    CivicGroup,
    GroupMembership,
    GroupStatusChange,
    Municipality,
)
from groups.services.lifecycle import change_status, today_in_japan
from tests.factories import CivicGroupFactory, UserFactory


@pytest.fixture
def admin_client(db, client):
    superuser = UserFactory(email="admin@example.jp", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    return client


def admin_url(model, view, *args):
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


GROUP_MODELS = list(apps.get_app_config("groups").get_models())
# Written only through groups.services.lifecycle, so the admin has no add page.
READ_ONLY_MODELS = {GroupStatusChange, Certification}


def test_every_groups_model_registered():
    missing = [m.__name__ for m in GROUP_MODELS if m not in admin.site._registry]
    assert missing == []


@pytest.mark.parametrize("model", GROUP_MODELS, ids=lambda m: m.__name__)
def test_changelist_and_add_pages(admin_client, group, group_staff, model):
    add_status = 403 if model in READ_ONLY_MODELS else 200
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    assert admin_client.get(admin_url(model, "add")).status_code == add_status
    search = admin_client.get(admin_url(model, "changelist"), {"q": "山口"})
    assert search.status_code == 200


def test_group_change_page_shows_memberships(admin_client, group, group_staff):
    response = admin_client.get(admin_url(CivicGroup, "change", group.pk))

    assert response.status_code == 200
    inline, *_ = response.context["inline_admin_formsets"]
    assert inline.formset.model is GroupMembership
    assert [form.instance.user for form in inline.formset.forms] == [group_staff]


def test_group_search_matches_kana_forms(admin_client, db):
    found = CivicGroupFactory(name="ボランティアの会", name_kana="ぼらんてぃあのかい")
    CivicGroupFactory(name="里山の会", name_kana="さとやまのかい")

    for query in ["ボランティア", "ﾎﾞﾗﾝﾃｨｱ", "ぼらんてぃあ"]:
        response = admin_client.get(admin_url(CivicGroup, "changelist"), {"q": query})
        assert list(response.context["cl"].result_list) == [found], query


def test_membership_search_by_email(admin_client, group_staff, other_group_staff):
    response = admin_client.get(
        admin_url(GroupMembership, "changelist"), {"q": "staff@example.jp"}
    )

    results = list(response.context["cl"].result_list)
    assert [membership.user for membership in results] == [group_staff]


def test_municipality_search_by_name(admin_client):
    response = admin_client.get(admin_url(Municipality, "changelist"), {"q": "下関"})

    assert [m.code for m in response.context["cl"].result_list] == ["35201"]


def test_admin_needs_staff(client, resident):
    client.force_login(resident)

    response = client.get(admin_url(CivicGroup, "changelist"))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def inlines_by_model(response):
    formsets = response.context["inline_admin_formsets"]
    return {inline.formset.model: inline for inline in formsets}


@pytest.fixture
def status_change(group):
    return GroupStatusChange.objects.create(
        group=group, status=CivicGroup.Status.DORMANT, effective_on=dt.date(2025, 4, 1)
    )


@pytest.mark.parametrize("model", sorted(READ_ONLY_MODELS, key=str))
def test_lifecycle_admin_cannot_add(admin_client, model):
    response = admin_client.get(admin_url(model, "add"))

    assert response.status_code == 403


def test_status_change_admin_read_only(admin_client, group, status_change):
    change_url = admin_url(GroupStatusChange, "change", status_change.pk)

    page = admin_client.get(change_url)
    posted = admin_client.post(
        change_url,
        {"group": group.pk, "status": "dissolved", "effective_on": "2025-05-01"},
    )
    deleted = admin_client.post(
        admin_url(GroupStatusChange, "delete", status_change.pk), {"post": "yes"}
    )

    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert posted.status_code == 403
    assert deleted.status_code == 403
    status_change.refresh_from_db()
    assert status_change.status == CivicGroup.Status.DORMANT


def test_status_change_admin_explains(admin_client, group, status_change):
    response = admin_client.get(
        admin_url(GroupStatusChange, "change", status_change.pk)
    )

    content = response.content.decode()
    assert "Record them on the group&#x27;s review page" in content
    assert reverse("groups:review_group", args=[group.pk]) in content


def test_group_inlines_read_only(admin_client, group, status_change):
    response = admin_client.get(admin_url(CivicGroup, "change", group.pk))

    inlines = inlines_by_model(response)
    for model in READ_ONLY_MODELS:
        assert not inlines[model].has_add_permission, model
        assert not inlines[model].has_change_permission, model
        assert not inlines[model].has_delete_permission, model
    content = response.content.decode()
    assert "Status changes and certifications are read-only here." in content
    assert reverse("groups:review_group", args=[group.pk]) in content


def test_service_records_what_admin_shows(admin_client, group):
    change_status(group, CivicGroup.Status.DORMANT, today_in_japan(), None)

    response = admin_client.get(admin_url(CivicGroup, "change", group.pk))

    inlines = inlines_by_model(response)
    shown = [form.instance for form in inlines[GroupStatusChange].formset.forms]
    assert [change.status for change in shown] == [CivicGroup.Status.DORMANT]
