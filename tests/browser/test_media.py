"""Uploaded photos load in Chromium under the Content Security Policy.

No group logo field exists yet, so the public case is a published post's
photo and a gallery photo. The private case is a campaign photo awaiting
review: its uploader sees it on their participation page, and another
browser gets 404 for the same URL.
"""

import pytest
from playwright.sync_api import Page, expect

from campaigns.models import Photo
from tests.browser.steps import log_in
from tests.browser.test_csp import RECORD_VIOLATIONS
from tests.campaigns.factories import ParticipationFactory, PhotoFactory, upload
from tests.factories import UserFactory, VolunteerPostFactory
from volunteering.models import PostPhoto


@pytest.fixture
def watched_page(open_page) -> Page:
    page = open_page()
    page.context.add_init_script(RECORD_VIOLATIONS)
    return page


def assert_image_loaded(page: Page, selector: str) -> None:
    image = page.locator(selector).first
    expect(image).to_be_visible()
    width = image.evaluate("(element) => element.complete && element.naturalWidth")
    assert width == 64, f"{selector} did not load"


def test_post_photo_loads_under_csp(watched_page):
    post = VolunteerPostFactory()
    photo = PostPhoto.objects.create(post=post, image=upload(), alt_text="竹林の様子")

    response = watched_page.goto(f"/volunteer/posts/{post.pk}/")

    assert response is not None
    assert "img-src 'self'" in response.headers["content-security-policy"]
    assert_image_loaded(watched_page, f"img[src='{photo.image.url}']")
    file_response = watched_page.request.get(photo.image.url)
    assert "public" in file_response.headers["cache-control"]
    assert file_response.headers["x-content-type-options"] == "nosniff"
    assert watched_page.evaluate("window.__cspViolations") == []


def test_gallery_photo_loads_under_csp(watched_page):
    photo = PhotoFactory(status=Photo.Status.APPROVED)
    campaign = photo.participation.campaign

    watched_page.goto(f"/campaigns/{campaign.pk}/gallery/")

    assert_image_loaded(watched_page, f"img[src='{photo.image.url}']")
    assert watched_page.evaluate("window.__cspViolations") == []


def test_pending_photo_only_for_uploader(open_page):
    uploader = UserFactory(email="uploader@example.jp")
    participation = ParticipationFactory(user=uploader)
    photo = PhotoFactory(participation=participation)
    uploader_page = open_page()
    uploader_page.context.add_init_script(RECORD_VIOLATIONS)
    log_in(uploader_page, uploader.email)

    uploader_page.goto(f"/campaigns/participations/{participation.pk}/")

    assert_image_loaded(uploader_page, f"img[src='{photo.image.url}']")
    assert uploader_page.evaluate("window.__cspViolations") == []
    stranger_page = open_page()
    response = stranger_page.goto(photo.image.url)
    assert response is not None
    assert response.status == 404
    assert "no-store" in response.headers["cache-control"]
