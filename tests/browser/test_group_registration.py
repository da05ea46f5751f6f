"""A resident registers a group, centre staff approve it, the public sees it."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from groups.models import CivicGroup, SupportCentre, SupportCentreStaff
from tests.browser.steps import log_in
from tests.factories import UserFactory

GROUP_NAME = "ふしの川をきれいにする会"


def fill_application(page):
    form = page.locator("form").filter(has=page.get_by_role("button", name="Send"))
    form.get_by_label("Name (required)", exact=True).fill(GROUP_NAME)
    form.get_by_label("Name reading").fill("ふしのがわをきれいにするかい")
    form.get_by_label("Legal form").select_option(label="Voluntary or citizen group")
    form.get_by_label("Representative").fill("椹野 一郎")
    form.get_by_label("Social education").check()
    form.get_by_label("Description").fill("毎月第1日曜日に椹野川の清掃をしています。")
    form.get_by_label("Municipality").select_option(label="Yamaguchi")
    # Full-width digits, as a phone keyboard in Japanese mode types them.
    form.get_by_label("Postal code").fill("７５３－０８５１")
    form.get_by_label("Contact person").fill("椹野 一郎")
    form.get_by_label("Contact e-mail address").fill("ichiro@example.jp")
    declaration = form.get_by_role("group", name="Declaration")
    declaration.get_by_label("organised and continuing").check()
    declaration.get_by_label("not to spread a religion").check()
    declaration.get_by_label("political cause").check()
    declaration.get_by_label("It does not work for profit.").check()
    return form


def test_register_approve_public_page(open_page):
    applicant = UserFactory(email="ichiro@example.jp")
    reviewer = UserFactory(email="centre@example.jp")
    centre = SupportCentre.objects.get(
        municipality__code="35203", scope=SupportCentre.Scope.MUNICIPAL
    )
    SupportCentreStaff.objects.create(centre=centre, user=reviewer)

    # The resident applies from a phone-sized screen; a missing
    # declaration is reported and nothing typed is lost.
    resident_page = open_page(width=390, height=844)
    log_in(resident_page, applicant.email)
    resident_page.goto(reverse("groups:register"))
    form = fill_application(resident_page)
    form.get_by_label("It does not work for profit.").uncheck()
    form.get_by_role("button", name="Send the application").click()
    expect(resident_page.get_by_role("alert")).to_contain_text("Tick this box")
    expect(form.get_by_label("Name (required)", exact=True)).to_have_value(GROUP_NAME)
    expect(form.get_by_label("Postal code")).to_have_value("７５３－０８５１")
    form.get_by_label("It does not work for profit.").check()
    form.get_by_role("button", name="Send the application").click()

    expect(resident_page.get_by_role("status")).to_contain_text(
        "Your application was sent."
    )
    expect(resident_page.get_by_text("Awaiting review").first).to_be_visible()
    group = CivicGroup.objects.get(name=GROUP_NAME)

    # Before the decision the public page does not exist.
    visitor_page = open_page()
    response = visitor_page.goto(reverse("groups:detail", args=[group.pk]))
    assert response is not None
    assert response.status == 404

    staff_page = open_page()
    log_in(staff_page, reviewer.email)
    staff_page.goto(reverse("groups:review_queue"))
    staff_page.get_by_role("link", name=GROUP_NAME).click()
    expect(staff_page.get_by_role("heading", level=1)).to_have_text(GROUP_NAME)
    staff_page.get_by_label("Approve").check()
    staff_page.get_by_role("button", name="Save the decision").click()
    expect(staff_page).to_have_url(re.compile(reverse("groups:review_queue") + "$"))
    expect(staff_page.get_by_role("status")).to_contain_text("The decision was saved")

    visitor_page.goto(reverse("groups:detail", args=[group.pk]))
    expect(visitor_page.get_by_role("heading", level=1)).to_have_text(GROUP_NAME)
    expect(visitor_page.get_by_text("ichiro@example.jp")).to_have_count(0)

    resident_page.goto(reverse("groups:my_groups"))
    resident_page.get_by_role("link", name="Manage").click()
    expect(resident_page.get_by_role("heading", level=1)).to_have_text(GROUP_NAME)
