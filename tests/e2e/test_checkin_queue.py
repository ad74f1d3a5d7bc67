"""The program manager works the check-in queue from their home: opens it (its sections
by kind, the regular check-ins folded), logs a call with a pair at risk, snoozes another
for a week and marks a third resolved (it stays off after the next sweep), each answered
in place by htmx, unfolds the regular check-ins and shows more of them, then opens the
pairs at risk, whose health filter shows its choices whole; at 1280 px and on a 390 px
phone, every state passing axe. And a manager
asks to observe a session, which the pair agrees to from their phones."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, expect

from meridian.engagement import queue
from meridian.engagement.models import ContactLog, Health, LadderSettings, QueueItem, QueueKind
from tests.e2e.support import DESKTOP, PHONE, check, in_view, sign_in_by_cookie, visit
from tests.factories import ProgramFactory, UserFactory, mentoring_pair

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


REGULAR = 22  # regular check-ins coming up: more than a section's page


def a_queue(manager):
    """Two pairs at risk, one needing a check-in, and regular check-ins coming up in two days."""
    program = ProgramFactory(name="Bridge", managers=[manager])
    LadderSettings.objects.create(program=program, standing_contacts=False)
    today = timezone.localdate()
    pairs = []
    for band, score, reason in (
        ("at_risk", 18, "The mentor reports no answer from the mentee since 3 May."),
        ("at_risk", 30, "No meeting for 6 weeks; you agreed every 2 weeks."),
        ("check_in", 58, "3 of the last 4 meetings were cancelled, all by the mentor."),
    ):
        pair = mentoring_pair(program=program)
        Health.objects.create(
            mentorship=pair,
            band=band,
            score=score,
            band_since=today - dt.timedelta(days=10),
            assessed_on=today,
            reasons=[reason],
            signals=["contact_gap"],
            last_activity_at=timezone.now() - dt.timedelta(days=20),
        )
        pairs.append(pair)
    queue.refresh(today=today)
    for n in range(REGULAR):
        QueueItem.objects.create(
            mentorship=mentoring_pair(program=program),
            kind=QueueKind.STANDING,
            reason=f"Regular check-in: month {n % 3 + 2} of the relationship.",
            urgency=10,
            due_on=today + dt.timedelta(days=2),
        )
    return program, [QueueItem.objects.get(mentorship=p) for p in pairs]


def choices_fit(select: Locator) -> bool:
    """Every choice of ``select`` shows whole: its longest words fit inside the box, its
    arrow beside them."""
    room, words = select.evaluate(
        """(el) => {
            const s = getComputedStyle(el);
            const pen = document.createElement("canvas").getContext("2d");
            pen.font = `${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
            const widest = Math.max(...[...el.options].map((o) => pen.measureText(o.text).width));
            return [el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight), widest];
        }"""
    )
    return bool(words + ARROW <= room)


ARROW = 20  # px: a native select's arrow


def right_edge(found: Locator) -> float:
    box = found.bounding_box()
    assert box is not None
    return float(box["x"] + box["width"])


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_manager_logs_a_call_snoozes_a_pair_and_resolves_another(page, base, viewport):
    page.set_viewport_size(viewport)
    manager = UserFactory(name="Mona Manager", time_zone="America/Chicago")
    program, (first, second, third) = a_queue(manager)
    sign_in_by_cookie(page.context, base, manager)

    visit(page, f"{base}/")
    page.get_by_role("link", name="3 pairs to contact in Bridge").click()  # what is due today
    expect(page.get_by_role("heading", level=1)).to_have_text("Pairs to contact")
    expect(page.get_by_text("3 pairs to contact today.")).to_be_visible()
    expect(page.locator("#section-at_risk .queue-item")).to_have_count(2)
    expect(page.locator("#section-health .queue-item")).to_have_count(1)
    expect(page.locator("#title-at_risk")).to_have_text("At risk 2")
    regular = page.locator("#section-standing")
    expect(regular.locator(".queue-item").first).to_be_hidden()  # folded while pairs need more
    card = page.locator(f"#item-{first.public_id}")
    expect(card).to_contain_text("The mentor reports no answer from the mentee since 3 May.")
    expect(card).to_contain_text("(America/Chicago)")
    check(page)

    card.get_by_text("Log a contact").click()
    card.get_by_role("button", name="Log the contact").click()  # nothing picked: told where
    expect(card.locator(".errorlist").first).to_contain_text("This field is required.")
    check(page)
    card.get_by_label("How").select_option("call")
    card.get_by_label("Outcome").select_option("no_answer")
    card.get_by_label("Note (managers only)").fill("Voicemail; try Friday morning.")
    in_view(page, card.get_by_role("button", name="Log the contact"))
    card.get_by_role("button", name="Log the contact").click()
    expect(card.get_by_role("status")).to_have_text("Contact logged.")
    expect(card).to_contain_text("Voicemail; try Friday morning.")
    check(page)

    snoozed = page.locator(f"#item-{second.public_id}")
    snoozed.get_by_role("button", name="7 days").click()
    expect(snoozed.get_by_role("status")).to_contain_text("Snoozed until")
    resolved = page.locator(f"#item-{third.public_id}")
    in_view(page, resolved.get_by_role("button", name="Mark resolved"))
    resolved.get_by_role("button", name="Mark resolved").click()
    expect(resolved.get_by_role("status")).to_have_text("Marked resolved.")
    expect(resolved.get_by_role("button", name="Mark resolved")).to_have_count(0)
    check(page)

    regular.locator(":scope > summary").click()
    expect(regular.locator(".queue-item")).to_have_count(20)
    expect(regular.locator(".queue-item").first).to_contain_text("coming up")
    more = regular.get_by_role("link", name="Show 2 more (2 not shown yet)")
    in_view(page, more)
    more.click()
    expect(regular.locator(".queue-item")).to_have_count(REGULAR)
    expect(more).to_have_count(0)
    check(page)

    queue.refresh(today=timezone.localdate())  # the next sweep: the resolved pair stays off
    page.reload()
    expect(page.locator("#section-at_risk .queue-item")).to_have_count(1)  # called: stays until resolved
    expect(page.locator("#section-health")).to_have_count(0)
    expect(page).to_have_url(re.compile(f"/programs/{program.public_id}/check-ins/$"))
    log = ContactLog.objects.get()
    assert (log.channel, log.outcome, log.manager) == ("call", "no_answer", manager)
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.snoozed_until == timezone.localdate() + dt.timedelta(days=7)
    assert third.resolved_by == manager

    page.get_by_role("link", name="Pairs at risk").click()
    health = page.get_by_label("Health")
    expect(health).to_have_value("at_risk")
    assert choices_fit(health), "the health filter cuts its choices short"
    health.select_option("check_in")  # the longest band's badge, whole inside its card
    expect(page).to_have_url(re.compile(r"health=check_in"))
    badge, listed = page.locator("#pairs .badge.check_in"), page.locator("#pairs tbody tr")
    expect(badge).to_have_count(1)
    assert right_edge(badge) <= right_edge(listed)
    check(page)
    visit(page, f"{base}/programs/{program.public_id}/check-ins/")  # the journey ends on the queue
    expect(page.get_by_role("heading", level=1)).to_have_text("Pairs to contact")


def test_a_manager_asks_to_observe_and_the_pair_agrees_on_their_phones(page, base):
    from tests.factories import meeting_booked, people

    manager = UserFactory(name="Mona Manager")
    pair = mentoring_pair(program=ProgramFactory(name="Bridge", managers=[manager]))
    start = (timezone.now() + dt.timedelta(days=3)).replace(second=0, microsecond=0)
    meeting_booked(pair, start)
    workspace = f"{base}/mentorships/{pair.public_id}/"
    section = page.locator("#observe-section")

    page.set_viewport_size(DESKTOP)
    sign_in_by_cookie(page.context, base, manager)
    page.goto(workspace)
    section.get_by_text("Ask to observe").click()
    section.get_by_role("button", name="Ask the pair").click()  # no reason: told beside the field
    expect(section.locator(".errorlist")).to_contain_text("This field is required.")
    section.get_by_label("Why you would like to observe").fill("To learn how our pairs plan their goals.")
    section.get_by_role("button", name="Ask the pair").click()
    expect(section.get_by_role("status")).to_contain_text("Asked: the pair decides")
    expect(section).to_contain_text("Waiting for both to answer")
    check(page)

    page.set_viewport_size(PHONE)
    for person in people(pair):
        page.context.clear_cookies()
        sign_in_by_cookie(page.context, base, person)
        page.goto(workspace)
        expect(section).to_contain_text("To learn how our pairs plan their goals.")
        in_view(page, section.get_by_role("button", name="Yes, they may observe"))
        section.get_by_role("button", name="Yes, they may observe").click()
        expect(section).to_contain_text("You said yes.")
    check(page)  # the answered section on a phone: axe, no sideways scrolling

    page.set_viewport_size(DESKTOP)
    page.context.clear_cookies()
    sign_in_by_cookie(page.context, base, manager)
    page.goto(workspace)
    expect(section).to_contain_text("Both agreed: you may join this session.")
    expect(section.get_by_role("button", name="Withdraw the request")).to_be_visible()
