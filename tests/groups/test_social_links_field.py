import pytest
from django.core.exceptions import ValidationError

from groups.forms_registration import MAX_SOCIAL_LINKS, SocialLinksField


@pytest.fixture
def field():
    return SocialLinksField(required=False)


@pytest.mark.parametrize(
    "value",
    [
        "https://sns.example.jp/a\n http://blog.example.jp/ \n\n",
        ["https://sns.example.jp/a", " http://blog.example.jp/ ", ""],
        ("https://sns.example.jp/a", "http://blog.example.jp/"),
    ],
)
def test_links_cleaned_from_text_or_list(field, value):
    assert field.clean(value) == ["https://sns.example.jp/a", "http://blog.example.jp/"]


@pytest.mark.parametrize(
    "value",
    [
        ["javascript:alert(1)"],
        ["ftp://files.example.jp/"],
        ["https://sns.example.jp/a", "not a link"],
        "data:text/html,hello",
    ],
)
def test_bad_link_rejected(field, value):
    with pytest.raises(ValidationError) as raised:
        field.clean(value)

    assert raised.value.code == "invalid_link"


@pytest.mark.parametrize("value", [[1], [{"url": "https://sns.example.jp/"}], [None]])
def test_list_of_non_text_rejected(field, value):
    with pytest.raises(ValidationError) as raised:
        field.clean(value)

    assert raised.value.code == "invalid_link"


def test_too_many_links_in_list(field):
    links = [
        f"https://sns.example.jp/{number}" for number in range(MAX_SOCIAL_LINKS + 1)
    ]

    with pytest.raises(ValidationError) as raised:
        field.clean(links)

    assert raised.value.code == "max_links"


def test_empty_list_is_empty(field):
    assert field.clean([]) == []
