import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from tests.factories import UserFactory

FACILITATION_MODELS = list(apps.get_app_config("facilitation").get_models())


@pytest.fixture
def admin_client(db, client):
    superuser = UserFactory(email="admin@example.jp", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    return client


def admin_url(model, view):
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}")


def test_every_facilitation_model_registered():
    missing = [m.__name__ for m in FACILITATION_MODELS if m not in admin.site._registry]

    assert missing == []


@pytest.mark.parametrize("model", FACILITATION_MODELS, ids=lambda m: m.__name__)
def test_changelist_add_and_search(admin_client, model):
    changelist = admin_url(model, "changelist")

    assert admin_client.get(changelist).status_code == 200
    assert admin_client.get(admin_url(model, "add")).status_code == 200
    assert admin_client.get(changelist, {"q": "山口"}).status_code == 200
