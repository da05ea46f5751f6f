"""Key pages reflow at 320 CSS pixels and at 200% zoom without sideways scrolling.

WCAG 2.1 criterion 1.4.10 Reflow asks for content at 320 CSS pixels wide
without scrolling in two directions. 200% zoom of a 1280-pixel window is
a 640-pixel layout at device scale factor 2, which is how Chromium zooms.
"""

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.steps import log_in
from tests.factories import (
    CivicGroupFactory,
    EventFactory,
    UserFactory,
    VolunteerPostFactory,
    VolunteerSessionFactory,
)

# (width, height, device scale factor)
VIEWPORTS = {
    "320px": (320, 640, 1),
    "200% zoom of 1280px": (640, 400, 2),
}
NO_SIDEWAYS_SCROLL = (
    "document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"
)


def open_at(browser, portal_url: str, viewport: tuple[int, int, int]) -> Page:
    width, height, scale = viewport
    context = browser.new_context(
        base_url=portal_url,
        locale="ja-JP",
        viewport={"width": width, "height": height},
        device_scale_factor=scale,
    )
    context.route("**/favicon*", lambda route: route.fulfill(status=204))
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
def test_pages_reflow(browser, portal_url, viewport):
    group = CivicGroupFactory(
        name="里山保全の会・山口市中山間地域の竹林を守るボランティアグループ"
    )
    post = VolunteerPostFactory(
        group=group,
        title="竹林の間伐と竹炭づくり：荒れた里山を取り戻すための長期ボランティア",
        accepts_teams=True,
    )
    VolunteerSessionFactory(post=post)
    EventFactory(group=group)
    resident = UserFactory(email="reflow@example.jp")
    page = open_at(browser, portal_url, viewport)
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": portal_url}]
    )
    log_in(page, resident.email)
    page.context.clear_cookies(name=settings.LANGUAGE_COOKIE_NAME)

    post_path = reverse("volunteering:post_detail", args=[post.pk])
    paths = [
        reverse("home"),
        reverse("volunteering:search") + "?q=竹林",
        post_path,
        reverse("groups:directory"),
        reverse("groups:detail", args=[group.pk]),
        reverse("groups:event_list"),
        reverse("accounts:dashboard"),
        reverse("volunteering:my_applications"),
    ]
    for path in paths:
        page.goto(path)
        widths = page.evaluate(
            "[document.documentElement.scrollWidth,"
            " document.documentElement.clientWidth]"
        )
        assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{path}: scroll/client {widths}"
        navigation = page.get_by_role("navigation", name="メインメニュー")
        search_link = navigation.get_by_role("link", name="ボランティアを探す")
        search_link.scroll_into_view_if_needed()
        expect(search_link).to_be_in_viewport()

    page.goto(post_path)
    apply_button = page.get_by_role("button", name="この活動日に応募する")
    apply_button.first.scroll_into_view_if_needed()
    expect(apply_button.first).to_be_in_viewport()
    page.context.close()


def test_signup_reflows_at_320px(browser, portal_url):
    page = open_at(browser, portal_url, VIEWPORTS["320px"])
    page.goto(reverse("accounts:signup"))
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.context.close()
