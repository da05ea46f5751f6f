import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from groups.models import CivicGroup, GroupMembership, Municipality
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


def test_every_groups_model_registered():
    missing = [m.__name__ for m in GROUP_MODELS if m not in admin.site._registry]
    assert missing == []


@pytest.mark.parametrize("model", GROUP_MODELS, ids=lambda m: m.__name__)
def test_changelist_and_add_pages(admin_client, group, group_staff, model):
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    assert admin_client.get(admin_url(model, "add")).status_code == 200
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
