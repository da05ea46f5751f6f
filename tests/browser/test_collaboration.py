"""A collaboration from opening a case to a published example, in Chromium.

A regional facilitator opens a case, adds a civic group and a company,
records their answers to the five principles and takes the case to
completion. The chief facilitator holds a meeting whose agenda lists the
case and gives the facilitator an action item, which the facilitator
marks done. The facilitator drafts the example, the group's staff and
the facilitator record the consents, and the public then reads it.
"""

from django.urls import reverse
from playwright.sync_api import Page, expect

from facilitation.models import Principle
from tests.browser.steps import log_in
from tests.facilitation.factories import (
    PartnerFactory,
    chief_facilitator,
    municipal_centre,
    regional_facilitator,
)
from tests.factories import CivicGroupFactory, GroupMembershipFactory

CASE_TITLE = "子ども食堂と地元企業の協働"
EXAMPLE_TITLE = "地域の子どもに食事を届けた協働"


def expect_done(page: Page, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_have_text(
        f"Done: {text}"
    )


def add_party(page: Page, field: str, name: str, role: str, contribution: str) -> None:
    page.get_by_role("link", name="Add a party").click()
    page.get_by_label(field).select_option(label=name)
    page.get_by_label("Role").fill(role)
    page.get_by_label("What they contribute").fill(contribution)
    page.get_by_role("button", name="Add the party").click()
    expect_done(page, "The party was added.")


def record_principles(page: Page, party_name: str) -> None:
    page.get_by_role("link", name=f"Five principles: {party_name}").click()
    for principle in Principle:
        group = page.get_by_role("group", name=str(principle.label))
        group.get_by_label("Agrees", exact=True).check()
    page.get_by_role("button", name="Record the answers").click()
    expect_done(page, f"The answers of {party_name} were recorded.")


def move_to(page: Page, stage: str) -> None:
    page.get_by_role("button", name=f"Move to “{stage}”").click()
    expect_done(page, f"The case is now “{stage}”.")


def test_case_to_published_example(open_page):
    regional = regional_facilitator("regional@example.jp", centre=municipal_centre(0))
    regional.user.full_name = "周防 健太"
    regional.user.save()
    chief = chief_facilitator("chief@example.jp")
    group = CivicGroupFactory(name="やまぐち子ども食堂")
    group_staff = GroupMembershipFactory(group=group, user__email="staff@example.jp")
    partner = PartnerFactory(name="周南フーズ株式会社")

    # The regional facilitator opens the case and brings the parties in.
    facilitator_page = open_page()
    log_in(facilitator_page, regional.user.email)
    facilitator_page.goto(reverse("facilitation:case_list"))
    facilitator_page.get_by_role("link", name="Open a collaboration case").click()
    facilitator_page.get_by_label("Title").fill(CASE_TITLE)
    facilitator_page.get_by_label("Shared goal").fill(
        "地域の子どもに温かい食事を届ける"
    )
    facilitator_page.get_by_role("button", name="Open the case").click()
    expect_done(facilitator_page, "The collaboration case was opened.")
    expect(facilitator_page.get_by_role("heading", level=1)).to_have_text(CASE_TITLE)
    add_party(facilitator_page, "Civic group", group.name, "運営", "調理と配膳")
    add_party(facilitator_page, "Partner", partner.name, "食材提供", "野菜と米")
    move_to(facilitator_page, "Matching")

    # Agreement is rejected until both parties have answered.
    facilitator_page.get_by_role("button", name="Move to “Agreement”").click()
    expect(facilitator_page.get_by_role("alert")).to_contain_text(
        "Record the answers to the five principles of collaboration for:"
    )
    record_principles(facilitator_page, group.name)
    record_principles(facilitator_page, partner.name)
    move_to(facilitator_page, "Agreement")
    move_to(facilitator_page, "In progress")
    case_url = facilitator_page.url

    # The chief facilitator holds a meeting whose agenda lists the case.
    chief_page = open_page()
    log_in(chief_page, chief.user.email)
    chief_page.goto(reverse("facilitation:meeting_list"))
    chief_page.get_by_role("link", name="Schedule a single meeting").click()
    chief_page.get_by_label("Title").fill("12月の情報共有会議")
    chief_page.get_by_label("Starts at").fill("2030-12-10T14:00")
    chief_page.get_by_label("Ends at").fill("2030-12-10T15:30")
    chief_page.get_by_label("Location").fill("研修室")
    chief_page.get_by_label("周防 健太 (Regional facilitator)").check()
    chief_page.get_by_role("button", name="Schedule the meeting").click()
    expect_done(chief_page, "The meeting was scheduled.")
    agenda = chief_page.get_by_role("region", name="Agenda")
    expect(agenda).to_contain_text(f"- {CASE_TITLE} (In progress")
    expect(agenda).to_contain_text(f"- {CASE_TITLE}: Agreement → In progress")
    chief_page.get_by_role("textbox", name="Action").fill("実施報告をまとめる")
    chief_page.get_by_label("Owner").select_option(label="周防 健太")
    chief_page.get_by_label("Due date").fill("2030-12-20")
    chief_page.get_by_role("button", name="Add the action item").click()
    expect_done(chief_page, "The action item was added.")

    # The facilitator finds the item among their own and marks it done.
    facilitator_page.goto(reverse("facilitation:meeting_list"))
    facilitator_page.get_by_role("region", name="My open action items").get_by_role(
        "link", name="実施報告をまとめる"
    ).click()
    facilitator_page.get_by_role(
        "button", name="Mark “実施報告をまとめる” done"
    ).click()
    expect_done(facilitator_page, "“実施報告をまとめる” is marked done.")

    # The case is completed and its example drafted.
    facilitator_page.goto(case_url)
    move_to(facilitator_page, "Completed")
    facilitator_page.get_by_role("link", name="Write a collaboration example").click()
    facilitator_page.get_by_label("Title").fill(EXAMPLE_TITLE)
    facilitator_page.get_by_label(f"What {group.name} gained").fill(
        "ボランティアが増えた"
    )
    facilitator_page.get_by_label(f"What {partner.name} gained").fill(
        "地域とのつながり"
    )
    facilitator_page.get_by_role("button", name="Save the draft").click()
    expect_done(
        facilitator_page,
        "The example was drafted. Record each party's consent before publishing it.",
    )
    example_url = facilitator_page.url

    # The public cannot read the draft.
    public_page = open_page()
    public_page.goto(reverse("facilitation:example_list"))
    expect(
        public_page.get_by_text("No collaboration examples are published yet.")
    ).to_be_visible()
    response = public_page.goto(example_url)
    assert response is not None
    assert response.status == 404

    # The group's staff consent for the group; the facilitator for the company.
    staff_page = open_page()
    log_in(staff_page, group_staff.user.email)
    staff_page.goto(reverse("facilitation:consent_list"))
    staff_page.get_by_role("link", name=EXAMPLE_TITLE).click()
    expect(
        staff_page.get_by_role("button", name=f"Record the consent of {partner.name}")
    ).to_have_count(0)
    staff_page.get_by_role("button", name=f"Record the consent of {group.name}").click()
    expect_done(staff_page, f"The consent of {group.name} was recorded.")
    facilitator_page.goto(example_url)
    facilitator_page.get_by_role("button", name="Publish the example").click()
    expect(facilitator_page.get_by_role("alert")).to_contain_text(
        f"Consent is missing from: {partner.name}."
    )
    facilitator_page.get_by_role(
        "button", name=f"Record the consent of {partner.name}"
    ).click()
    expect_done(facilitator_page, f"The consent of {partner.name} was recorded.")
    facilitator_page.get_by_role("button", name="Publish the example").click()
    expect_done(facilitator_page, "The example is published.")

    # The public reads the example with its table of parties.
    public_page.goto(reverse("facilitation:example_list"))
    public_page.get_by_role("link", name=EXAMPLE_TITLE).click()
    table = public_page.get_by_role(
        "table", name="The parties, what each did and what each gained"
    )
    group_row = table.get_by_role("row").filter(has_text=group.name)
    expect(group_row).to_contain_text("調理と配膳")
    expect(group_row).to_contain_text("ボランティアが増えた")
    partner_row = table.get_by_role("row").filter(has_text=partner.name)
    expect(partner_row).to_contain_text("野菜と米")
    expect(partner_row).to_contain_text("地域とのつながり")
