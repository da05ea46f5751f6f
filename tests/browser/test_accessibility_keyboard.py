"""Search, apply, sign-up and recording attendance work with the keyboard alone.

Each walk moves with Tab and acts with the keyboard only (typing, Space,
arrow keys, Enter). After every Tab it checks that the focused element
shows the stylesheet's focus outline and that focus did not move back
in document order, which is the reading order of these pages. A date
field keeps focus over three Tab presses (day, month, year).
"""

import contextlib
import datetime as dt
import re
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Locator, Page, TimeoutError, expect

from civic_portal.accounts.models import User
from tests.browser.steps import PASSWORD, log_in
from tests.factories import (
    ApplicationFactory,
    GroupMembershipFactory,
    UserFactory,
    VolunteerPostFactory,
    VolunteerSessionFactory,
)
from volunteering.models import Attendance

# The focused element's position in document order, a short description,
# and its computed outline ("solid 3px" is the stylesheet's focus outline).
FOCUS_STATE = """
() => {
  const element = document.activeElement;
  const all = Array.from(document.querySelectorAll("*"));
  const style = getComputedStyle(element);
  return {
    position: all.indexOf(element),
    name: element.getAttribute("name") || "",
    type: element.getAttribute("type") || element.tagName.toLowerCase(),
    text: (element.innerText || "").trim().slice(0, 60),
    outline: `${style.outlineStyle} ${style.outlineWidth}`,
    stylesheets: Array.from(document.styleSheets, (sheet) => sheet.href),
  };
}
"""
OUTLINE_SHOWN = """
() => getComputedStyle(document.activeElement).outlineStyle === "solid"
"""
MAX_TABS = 80


def tab_until(page: Page, target: Locator, visited: list[dict]) -> None:
    """Press Tab until target has focus, checking each stop on the way.

    Every focused element is appended to visited, so a walk over several
    steps checks the whole order. A target that already has focus, such as
    a field with the autofocus attribute, needs no Tab.
    """
    if target.evaluate("element => element === document.activeElement"):
        return
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        # Headless Chromium has shown the outline a moment after the key
        # press. On a timeout the assert below reports the element.
        with contextlib.suppress(TimeoutError):
            page.wait_for_function(OUTLINE_SHOWN, timeout=2_000)
        state = page.evaluate(FOCUS_STATE)
        route = [stop["name"] or stop["text"] for stop in visited]
        assert state["outline"] == "solid 3px", (
            f"no visible outline on {state} after {route}"
        )
        if visited:
            assert state["position"] >= visited[-1]["position"], (
                f"focus moved back from {visited[-1]} to {state}"
            )
        visited.append(state)
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{target} not reached in {MAX_TABS} Tab presses")


def test_keyboard_search_and_apply(open_page):
    resident = UserFactory(email="keyboard@example.jp")
    post = VolunteerPostFactory(title="ビーチクリーン大作戦")
    VolunteerSessionFactory(post=post, capacity=10)
    VolunteerSessionFactory(post=VolunteerPostFactory(title="竹林の間伐"))
    page = open_page()
    log_in(page, resident.email)
    page.goto(reverse("volunteering:search"))

    # The skip link is the first stop and moves focus to the main content.
    visited: list[dict] = []
    tab_until(page, page.get_by_role("link", name="Skip to main content"), visited)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    visited = []
    keyword = page.get_by_role("search").get_by_label("Keyword")
    tab_until(page, keyword, visited)
    page.keyboard.type("びーちくりーん")
    page.keyboard.press("Enter")
    results = page.get_by_role("region", name="1 post found")
    expect(results).to_be_visible()

    visited = []
    result_link = results.get_by_role("link", name="ビーチクリーン大作戦")
    tab_until(page, result_link, visited)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("ビーチクリーン大作戦")

    visited = []
    message = page.get_by_label("Message to the group")
    tab_until(page, message, visited)
    page.keyboard.type("軍手を持って行きます。")
    tab_until(page, page.get_by_role("button", name="Apply for this session"), visited)
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text(
        "Your application was sent and is awaiting confirmation"
    )
    expect(page.get_by_role("article").filter(has_text=post.title)).to_have_count(1)


def test_keyboard_signup(open_page):
    page = open_page()
    page.goto(reverse("accounts:signup"))
    form = page.locator("main form[method=post]")
    submit = form.get_by_role("button", name="Create account")
    # The fields in the form's order, each with the keys that fill it. The
    # date field of an en-GB browser takes day, month and year. ArrowDown
    # picks the first occupation and Space ticks the consent box.
    keys = [
        ("email", "keyboard-signup@example.jp"),
        ("full_name", "山口 花子"),
        ("name_kana", "やまぐち はなこ"),
        ("birth_date", "01051995"),
        ("occupation", "ArrowDown"),
        ("password1", PASSWORD),
        ("password2", PASSWORD),
        ("privacy_consent", "Space"),
    ]

    visited: list[dict] = []
    for name, value in keys:
        tab_until(page, form.locator(f"[name={name}]"), visited)
        if value in ("ArrowDown", "Space"):
            page.keyboard.press(value)
        else:
            page.keyboard.type(value)
    tab_until(page, submit, visited)
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(reverse("accounts:signup_done")))
    assert User.objects.filter(email="keyboard-signup@example.jp").exists()


def test_keyboard_staff_records_attendance(open_page):
    staff = GroupMembershipFactory(user__email="keyboard-staff@example.jp").user
    post = VolunteerPostFactory(group=staff.civic_groups.get(), title="河川敷の清掃")
    starts_at = timezone.now() - dt.timedelta(days=1)
    session = VolunteerSessionFactory(
        post=post, starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=3)
    )
    attended = ApplicationFactory(session=session, applicant__full_name="周防 健太")
    absent = ApplicationFactory(session=session, applicant__full_name="長門 さくら")
    page = open_page()
    log_in(page, staff.email)

    visited: list[dict] = []
    main_menu = page.get_by_role("navigation", name="Main")
    tab_until(page, main_menu.get_by_role("link", name="Group staff"), visited)
    page.keyboard.press("Enter")
    visited = []
    tab_until(page, page.get_by_role("link", name=post.title), visited)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(post.title)

    visited = []
    tab_until(page, page.get_by_role("link", name="Attendance", exact=True), visited)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Attendance for")

    # The rows are in the order of the applications. ArrowDown moves a
    # closed select to its next option: "Attended", then "Did not attend".
    first_row = page.get_by_role("row", name=re.compile("周防 健太"))
    second_row = page.get_by_role("row", name=re.compile("長門 さくら"))
    visited = []
    tab_until(page, first_row.get_by_label("Attendance"), visited)
    page.keyboard.press("ArrowDown")
    tab_until(page, first_row.get_by_label("Hours per person"), visited)
    page.keyboard.type("2.5")
    tab_until(page, second_row.get_by_label("Attendance"), visited)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    tab_until(page, page.get_by_role("button", name="Save attendance"), visited)
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text(
        "Attendance was saved for 2 applications."
    )
    attended_row = Attendance.objects.get(application=attended)
    absent_row = Attendance.objects.get(application=absent)
    assert attended_row.status == Attendance.Status.CONFIRMED
    assert attended_row.hours == Decimal("2.5")
    assert absent_row.status == Attendance.Status.NO_SHOW
    assert absent_row.hours == Decimal("0")
