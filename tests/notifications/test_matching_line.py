from types import SimpleNamespace

from django.test import override_settings

from notifications.delivery import render_line_text

SUBJECT = "New volunteer posts for you"


def item(number: int, with_session: bool = True) -> dict:
    sessions = (
        [{"session": None, "apply_url": f"https://portal.example.jp/apply/t{number}/"}]
        if with_session
        else []
    )
    return {
        "post": SimpleNamespace(title=f"Post {number}"),
        "post_url": f"https://portal.example.jp/volunteer/posts/{number}/",
        "sessions": sessions,
    }


@override_settings(SITE_URL="https://portal.example.jp")
def test_matching_line_lists_apply_links():
    items = [item(1), item(2, with_session=False)]

    text = render_line_text(
        "mail/volunteering/matching", {"items": items}, "en", SUBJECT
    )

    assert "・Post 1\nApply: https://portal.example.jp/apply/t1/" in text
    assert "・Post 2\nhttps://portal.example.jp/volunteer/posts/2/" in text
    assert "more post" not in text


@override_settings(SITE_URL="https://portal.example.jp")
def test_matching_line_caps_at_five():
    items = [item(number) for number in range(1, 8)]

    text = render_line_text(
        "mail/volunteering/matching", {"items": items}, "en", SUBJECT
    )

    assert "Post 5" in text
    assert "Post 6" not in text
    assert "2 more posts: https://portal.example.jp/volunteer/" in text


@override_settings(SITE_URL="https://portal.example.jp")
def test_matching_line_in_japanese():
    text = render_line_text(
        "mail/volunteering/matching", {"items": [item(1)]}, "ja", SUBJECT
    )

    assert "・Post 1" in text
    assert "Apply:" not in text
