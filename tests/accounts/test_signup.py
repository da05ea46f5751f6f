import pytest
from django.core import mail
from django.urls import reverse

from civic_portal.accounts.models import PRIVACY_NOTICE_VERSION, User
from tests.factories import UserFactory

URL = reverse("accounts:signup")


def sign_up(client, data, capture):
    with capture(execute=True):
        return client.post(URL, data)


def test_signup_creates_unconfirmed_user(
    client, signup_data, django_capture_on_commit_callbacks
):
    response = sign_up(client, signup_data, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response.url == reverse("accounts:signup_done")
    user = User.objects.get(email="hanako@example.jp")
    assert user.email_confirmed is False
    assert user.check_password(signup_data["password1"])
    assert user.name_kana == "やまぐち はなこ"
    assert user.occupation == User.Occupation.HIGH_SCHOOL_STUDENT
    assert user.privacy_consent_at is not None
    assert user.privacy_notice_version == PRIVACY_NOTICE_VERSION


def test_signup_sends_confirmation_mail(
    client, signup_data, japanese_catalog, django_capture_on_commit_callbacks
):
    sign_up(client, signup_data, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["hanako@example.jp"]
    assert message.subject == "メールアドレスの確認のお願い"
    assert "/accounts/confirm/" in message.body
    assert "山口 花子" in message.body


def test_signup_mail_english_for_english_user(
    client, signup_data, japanese_catalog, django_capture_on_commit_callbacks
):
    signup_data["preferred_language"] = "en"

    sign_up(client, signup_data, django_capture_on_commit_callbacks)

    assert mail.outbox[0].subject == "Please confirm your e-mail address"


def test_signup_done_names_address(
    client, signup_data, django_capture_on_commit_callbacks
):
    sign_up(client, signup_data, django_capture_on_commit_callbacks)

    response = client.get(reverse("accounts:signup_done"))

    assert "hanako@example.jp" in response.content.decode()


def test_signup_accepts_full_width_email(
    client, signup_data, django_capture_on_commit_callbacks
):
    signup_data["email"] = "Ｈａｎａｋｏ@Example.JP"

    response = sign_up(client, signup_data, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert User.objects.filter(email="hanako@example.jp").exists()


def test_signup_half_width_kana_stored_full_width(
    client, signup_data, django_capture_on_commit_callbacks
):
    signup_data["name_kana"] = "ﾔﾏｸﾞﾁ ﾊﾅｺ"

    sign_up(client, signup_data, django_capture_on_commit_callbacks)

    assert User.objects.get().name_kana == "ヤマグチ ハナコ"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "privacy_consent",
            "",
            "You must agree to the privacy notice to create an account.",
        ),
        (
            "name_kana",
            "Yamaguchi Hanako",
            "Enter the reading of your name in hiragana or katakana.",
        ),
        ("birth_date", "2999-01-01", "The birth date cannot be in the future."),
        ("email", "not-an-address", "Enter a valid email address."),
    ],
)
def test_signup_rejects_bad_field(client, signup_data, field, value, message):
    signup_data[field] = value

    response = client.post(URL, signup_data)

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not User.objects.exists()
    assert len(mail.outbox) == 0


def test_signup_errors_summarised_as_alert(client, signup_data):
    signup_data["email"] = "not-an-address"

    html = client.post(URL, signup_data).content.decode()

    summary = html.split('role="alert">')[1].split("</div>")[0]
    assert '<a href="#id_email">E-mail address</a>: Enter a valid email address.' in (
        summary
    )
    assert 'aria-describedby="id_email_helptext id_email_error"' in html
    assert 'aria-invalid="true"' in html


def test_signup_short_password_message(japanese_client, signup_data):
    signup_data["password1"] = signup_data["password2"] = "yama2026"

    response = japanese_client.post(URL, signup_data)

    assert response.context["form"].errors["password2"] == [
        "このパスワードは短すぎます。最低 10 文字以上必要です。"
    ]


def test_signup_mismatched_passwords(japanese_client, signup_data):
    signup_data["password2"] = "another-password-2026"

    response = japanese_client.post(URL, signup_data)

    assert response.context["form"].errors["password2"] == [
        "確認用パスワードが一致しません。"
    ]


def test_signup_keeps_typed_values(client, signup_data):
    signup_data["privacy_consent"] = ""

    response = client.post(URL, signup_data)

    page = response.content.decode()
    assert 'value="hanako@example.jp"' in page
    assert 'value="山口 花子"' in page
    assert 'value="やまぐち はなこ"' in page
    assert 'value="2008-06-15"' in page
    assert '<option value="high_school" selected>' in page
    assert "You must agree to the privacy notice to create an account." in page


@pytest.mark.parametrize("typed", ["HANAKO@example.jp", "hanako@EXAMPLE.JP"])
def test_signup_duplicate_email_any_case(client, signup_data, typed):
    UserFactory(email="hanako@example.jp")
    signup_data["email"] = typed

    response = client.post(URL, signup_data)

    assert response.context["form"].errors["email"] == [
        "An account with this e-mail address already exists."
    ]
    assert User.objects.count() == 1


def test_signup_redirects_signed_in_user(client, resident):
    client.force_login(resident)

    response = client.get(URL)

    assert response.status_code == 302
    assert response.url == reverse("accounts:dashboard")


def test_signup_rejects_huge_municipality_id(japanese_client, signup_data):
    signup_data["municipality"] = "9" * 40

    response = japanese_client.post(URL, signup_data)

    assert response.context["form"].errors["municipality"] == [
        "正しく選択してください。選択したものは候補にありません。"
    ]
