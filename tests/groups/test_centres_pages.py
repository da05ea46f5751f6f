import datetime as dt

import pytest
from django.urls import reverse

from groups.models import SupportCentre, SupportCentreStaff
from tests.factories import UserFactory, municipality

pytestmark = pytest.mark.django_db


def centre(code="35203", scope=SupportCentre.Scope.PREFECTURE):
    return SupportCentre.objects.get(municipality__code=code, scope=scope)


def staff_of(centre_obj):
    user = UserFactory()
    SupportCentreStaff.objects.create(centre=centre_obj, user=user)
    return user


def page_data(**overrides):
    data = {
        "name_en": "Ube Civic Activity Centre",
        "operation": SupportCentre.Operation.PRIVATE_PRIVATE,
        "postal_code": "755-0001",
        "address": "宇部市常盤町1-1",
        "phone": "0836-22-1111",
        "email": "centre@example.jp",
        "website": "https://centre.example.jp",
        "opening_hours": "平日 9:00〜21:00",
        "closed_days": "月曜日、祝日",
        "description": "",
    }
    data.update(overrides)
    return data


def test_list_shows_open_centres(client):
    response = client.get(reverse("groups:centre_list"))

    names = [c.name for c in response.context["centres"]]
    assert response.status_code == 200
    assert names[0] == centre().name
    assert len(names) == SupportCentre.objects.count()
    assert response.context["can_add"] is False


def test_list_hides_closed_and_future_centres(client):
    closed = centre("35202", SupportCentre.Scope.MUNICIPAL)
    closed.closed_on = dt.date(2020, 1, 1)
    closed.save()
    SupportCentre.objects.create(
        name="未来の市民活動センター",
        municipality=municipality("35215"),
        scope=SupportCentre.Scope.MUNICIPAL,
        operation=SupportCentre.Operation.PUBLIC_PUBLIC,
        opened_on=dt.date(2099, 4, 1),
    )

    response = client.get(reverse("groups:centre_list"))

    names = {c.name for c in response.context["centres"]}
    assert closed.name not in names
    assert "未来の市民活動センター" not in names


def test_list_bounded_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = client.get(reverse("groups:centre_list"))

    assert response.status_code == 200


def test_detail_shows_hours_and_model(client):
    prefectural = centre()
    prefectural.opening_hours = "平日 9:00〜21:00、土日 9:00〜17:00"
    prefectural.closed_days = "月曜日、祝日、12月29日〜1月3日"
    prefectural.save()

    response = client.get(reverse("groups:centre_detail", args=[prefectural.pk]))

    content = response.content.decode()
    assert "平日 9:00〜21:00" in content
    assert "12月29日〜1月3日" in content
    assert prefectural.get_operation_display() in content
    assert prefectural.opened_on.strftime("%Y-%m") in content
    assert reverse("groups:centre_edit", args=[prefectural.pk]) not in content


def test_staff_edits_own_centre(client):
    ube = centre("35202", SupportCentre.Scope.MUNICIPAL)
    client.force_login(staff_of(ube))

    response = client.post(reverse("groups:centre_edit", args=[ube.pk]), page_data())

    assert response.status_code == 302
    ube.refresh_from_db()
    assert ube.opening_hours == "平日 9:00〜21:00"
    assert ube.operation == SupportCentre.Operation.PRIVATE_PRIVATE


def test_staff_cannot_change_opening_month(client):
    ube = centre("35202", SupportCentre.Scope.MUNICIPAL)
    opened = ube.opened_on
    client.force_login(staff_of(ube))

    client.post(
        reverse("groups:centre_edit", args=[ube.pk]),
        page_data(opened_on="2030-01-01", name="別名"),
    )

    ube.refresh_from_db()
    assert ube.opened_on == opened
    assert ube.name != "別名"


def test_other_centre_staff_forbidden(client):
    ube = centre("35202", SupportCentre.Scope.MUNICIPAL)
    client.force_login(staff_of(centre("35201", SupportCentre.Scope.MUNICIPAL)))

    get = client.get(reverse("groups:centre_edit", args=[ube.pk]))
    post = client.post(reverse("groups:centre_edit", args=[ube.pk]), page_data())

    assert get.status_code == 403
    assert post.status_code == 403
    ube.refresh_from_db()
    assert ube.address != "宇部市常盤町1-1"


def test_resident_cannot_edit_or_add(client, resident):
    client.force_login(resident)

    assert (
        client.get(reverse("groups:centre_edit", args=[centre().pk])).status_code == 403
    )
    assert client.get(reverse("groups:centre_create")).status_code == 403


def test_anonymous_edit_redirects_to_login(client):
    response = client.get(reverse("groups:centre_edit", args=[centre().pk]))

    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


def test_prefectural_staff_adds_centre(client):
    client.force_login(staff_of(centre()))
    data = page_data(
        name="周南市民活動支援センター",
        municipality=municipality("35215").pk,
        scope=SupportCentre.Scope.MUNICIPAL,
        opening_month="２０２６年１０月",
    )

    response = client.post(reverse("groups:centre_create"), data)

    added = SupportCentre.objects.get(name="周南市民活動支援センター")
    assert response.status_code == 302
    assert added.opened_on == dt.date(2026, 10, 1)
    assert added.is_open_on(dt.date(2026, 10, 1))
    assert not added.is_open_on(dt.date(2026, 9, 30))


def test_django_staff_user_adds_centre(client):
    client.force_login(UserFactory(is_staff=True))
    data = page_data(
        name="新しいセンター",
        municipality=municipality("35215").pk,
        scope=SupportCentre.Scope.MUNICIPAL,
        opening_month="2027-04",
    )

    response = client.post(reverse("groups:centre_create"), data)

    assert response.status_code == 302
    assert SupportCentre.objects.filter(name="新しいセンター").exists()


def test_municipal_staff_cannot_add_centre(client):
    client.force_login(staff_of(centre("35202", SupportCentre.Scope.MUNICIPAL)))

    assert client.get(reverse("groups:centre_create")).status_code == 403


@pytest.mark.parametrize("month", ["2026-13", "十月", ""])
def test_add_centre_rejects_bad_month(client, month):
    client.force_login(staff_of(centre()))
    data = page_data(
        name="不正な月のセンター",
        municipality=municipality("35215").pk,
        scope=SupportCentre.Scope.MUNICIPAL,
        opening_month=month,
    )

    response = client.post(reverse("groups:centre_create"), data)

    assert response.status_code == 200
    assert "opening_month" in response.context["form"].errors
    assert not SupportCentre.objects.filter(name="不正な月のセンター").exists()


def test_second_prefectural_centre_rejected(client):
    client.force_login(staff_of(centre()))
    data = page_data(
        name="第二県センター",
        municipality=municipality("35203").pk,
        scope=SupportCentre.Scope.PREFECTURE,
        opening_month="2027-04",
    )

    response = client.post(reverse("groups:centre_create"), data)

    assert response.status_code == 200
    assert "scope" in response.context["form"].errors


def test_pages_render_in_japanese(japanese_client):
    prefectural = centre()

    listing = japanese_client.get(reverse("groups:centre_list"))
    detail = japanese_client.get(reverse("groups:centre_detail", args=[prefectural.pk]))

    assert listing.status_code == 200
    assert detail.status_code == 200
    assert 'lang="ja"' in detail.content.decode()
    assert prefectural.name in detail.content.decode()
