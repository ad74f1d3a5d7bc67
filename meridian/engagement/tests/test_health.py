"""The pure health model: each signal on a history built for it, the bands, pauses, the hard
signs, the hysteresis of ``settle``, the order and words of the reasons, and properties
over random histories. No database."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meridian.engagement.health import (
    BANDS,
    KINDS,
    Assessment,
    Event,
    History,
    Standing,
    assess,
    last_activity,
    settle,
)
from meridian.engagement.health_signals import SIGNALS

START = dt.date(2026, 5, 4)  # a Monday


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


def at(n: int, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day(n), dt.time(hour), tzinfo=dt.UTC)


def ev(kind: str, n: int, by: str | None = None, value: int | None = None, hour: int = 12) -> Event:
    return Event(kind, at(n, hour), by, value)


def steady(until: int, cadence: int = 14) -> list[Event]:
    """A pair that does everything right: a goal, meetings at the cadence booked a week
    ahead, a message answered the next day between meetings, good pulses."""
    events = [ev("goal_set", 6, "mentee"), ev("pulse", 14, "mentor", 5), ev("pulse", 15, "mentee", 4)]
    for n in range(5, until + 1, cadence):
        events += [ev("meeting_booked", max(0, n - 7), "mentor", 7), ev("meeting_held", n, "mentee")]
        if n + 3 <= until:
            events += [ev("message", n + 2, "mentee"), ev("message", n + 3, "mentor")]
    return events


def judge(events: list[Event], today: int, cadence: int = 14) -> Assessment:
    return assess(History(START, cadence, events), day(today))


def test_it_finds_nothing_wrong_with_a_steady_pair() -> None:
    for today in (20, 60, 200):
        result = judge(steady(today), today)
        assert (result.score, result.band, result.signals, result.reasons) == (100, "on_track", (), ())


def _falling() -> list[Event]:
    return [ev("goal_set", 2, "mentor")] + [ev("meeting_held", n, "mentor") for n in (0, 14, 28, 42, 70, 105)]


def _cancelled() -> list[Event]:
    late = [ev("meeting_cancelled", n, "mentor") for n in (61, 68, 89)]
    return [*steady(47), *late, ev("meeting_held", 75, "mentee")]


# signal -> (events, today): a history built for that signal alone
BUILT: dict[str, tuple[list[Event], int]] = {
    "no_first_meeting": ([ev("message", 2, "mentor"), ev("message", 3, "mentee")], 30),
    "contact_gap": (steady(60), 100),
    "falling_frequency": (_falling(), 115),
    "cancellations": (_cancelled(), 92),
    "unanswered": ([*steady(60), ev("message", 62, "mentee")], 71),
    "one_sided": ([*steady(60), *(ev("message", n, "mentee") for n in range(61, 68))], 68),
    "no_goals": ([e for e in steady(60) if e.kind != "goal_set"], 60),
    "low_pulse": ([*steady(60), ev("pulse", 58, "mentee", 2)], 60),
    "continue_no": ([*steady(60), ev("continue_no", 58, "mentee")], 60),
    "report_unresponsive": ([*steady(60), ev("report_unresponsive", 58, "mentee")], 60),
    "request_end": ([*steady(60), ev("request_rematch", 58, "mentor")], 60),
    "manager_unanswered": ([*steady(47), ev("manager_contact", 48, "manager")], 58),
}


def test_it_builds_a_history_for_every_signal() -> None:
    assert set(BUILT) == set(SIGNALS)


@pytest.mark.parametrize("code", SIGNALS)
def test_it_fires_each_signal_on_its_history_and_not_on_a_steady_one(code: str) -> None:
    events, today = BUILT[code]
    assert code in judge(events, today).signals
    assert code not in judge(steady(today), today).signals


def test_it_is_too_early_to_tell_only_in_the_first_14_days() -> None:
    quiet = [ev("message", 1, "mentor")]
    assert [judge(quiet, n).band for n in (0, 7, 13)] == ["too_early"] * 3
    assert judge(steady(14), 14).band == "on_track"
    assert judge(quiet, 30).band != "too_early"
    # a hard sign does not wait for the 14 days
    assert judge([*quiet, ev("request_end", 3, "mentee")], 5).band == "at_risk"


def test_a_declared_pause_stops_the_clocks() -> None:
    before = steady(47)  # last meeting on day 47
    paused = [*before, ev("pause_start", 50, "mentee"), ev("pause_end", 100, "mentee")]
    assert "contact_gap" in judge(before, 105).signals
    assert judge(paused, 105).signals == ()
    still_paused = [*before, ev("pause_start", 50, "mentee")]
    assert judge(still_paused, 150).band == "on_track"
    # the days after the pause count again
    assert "contact_gap" in judge(paused, 140).signals


@pytest.mark.parametrize(
    "sign",
    [
        ev("report_unresponsive", 58, "mentee"),
        ev("request_end", 58, "mentor"),
        ev("request_rematch", 58, "mentee"),
        ev("pulse", 58, "mentor", 1),
        ev("pulse", 58, "mentee", 2),
        ev("continue_no", 58, "mentee"),
    ],
    ids=lambda e: f"{e.kind}-{e.value}",
)
def test_a_hard_sign_puts_a_pair_at_risk_whatever_the_score(sign: Event) -> None:
    result = judge([*steady(60), sign], 60)
    assert result.band == "at_risk"
    assert result.score < 40
    assert result.findings[0].hard


def test_no_two_sided_contact_for_60_days_is_at_risk() -> None:
    # a monthly pair, last met on day 35, a meeting booked for day 100
    events = [*steady(35, cadence=30), ev("meeting_booked", 60, "mentor", 40)]
    assert judge(events, 94, cadence=30).band == "on_track"
    result = judge(events, 95, cadence=30)
    assert (result.band, result.signals[0], result.findings[0].hard) == ("at_risk", "contact_gap", True)
    assert result.reasons[0] == "No meeting or answered message for 8 weeks; they agreed every month."


def test_a_pulse_of_3_or_an_old_low_pulse_is_not_a_hard_sign() -> None:
    assert judge([*steady(60), ev("pulse", 58, "mentee", 3)], 60).band == "on_track"
    recovered = [*steady(150), ev("pulse", 30, "mentee", 2), ev("pulse", 90, "mentee", 4)]
    assert judge(recovered, 150).band == "on_track"


def test_a_report_is_answered_by_the_partner_coming_back() -> None:
    events = [*steady(60), ev("report_unresponsive", 58, "mentee"), ev("message", 59, "mentor", hour=18)]
    assert "report_unresponsive" not in judge(events, 60).signals


def test_a_later_answer_or_meeting_lifts_a_hard_sign() -> None:
    # a pulse after "I don't want to continue" is the newer answer; a meeting after a request
    # to end means the pair carries on
    assert (
        judge([*steady(60), ev("continue_no", 40, "mentee"), ev("pulse", 50, "mentee", 4)], 60).band
        == "on_track"
    )
    assert judge([*steady(61), ev("request_end", 50, "mentor")], 62).band == "on_track"


def test_events_after_today_are_not_read() -> None:
    events = [*steady(60), ev("request_end", 70, "mentor"), ev("pulse", 75, "mentee", 1)]
    assert judge(events, 60).band == "on_track"
    assert judge(events, 70).band == "at_risk"


def _at_risk(since: int) -> Standing:
    return Standing("at_risk", day(since), 0)


def test_a_pair_leaves_at_risk_only_after_two_good_sweeps() -> None:
    history = History(START, 14, steady(47))  # no meeting after day 47
    good = judge(steady(47), 50)
    first = settle(_at_risk(49), good, history, day(56))
    assert first == Standing("at_risk", day(49), 1)
    assert settle(first, good, history, day(63)) == Standing("on_track", day(63), 0)


def test_a_bad_sweep_between_good_ones_starts_the_count_again() -> None:
    history = History(START, 14, steady(47))
    good, bad = judge(steady(47), 50), judge([*steady(47), ev("request_end", 48, "mentor")], 50)
    standing = settle(_at_risk(48), good, history, day(49))
    standing = settle(standing, bad, history, day(56))
    assert standing == Standing("at_risk", day(48), 0)
    assert settle(standing, good, history, day(63)).band == "at_risk"


def test_a_logged_meeting_ends_at_risk_at_once() -> None:
    events = steady(61)  # meetings on days 47 and 61
    good = judge(events, 62)
    assert settle(_at_risk(50), good, History(START, 14, events), day(62)) == Standing("on_track", day(62), 0)
    # a meeting before the pair was put at risk does not count
    assert settle(_at_risk(62), good, History(START, 14, events), day(63)).band == "at_risk"


def test_settle_keeps_since_while_the_band_holds() -> None:
    history = History(START, 14, steady(60))
    result = judge(steady(60), 60)
    assert settle(None, result, history, day(60)) == Standing("on_track", day(60), 0)
    assert settle(Standing("on_track", day(20)), result, history, day(60)) == Standing("on_track", day(20), 0)
    assert settle(Standing("check_in", day(20)), result, history, day(60)) == Standing("on_track", day(60), 0)


def test_reasons_come_worst_first() -> None:
    events = [e for e in _cancelled() if e.kind != "goal_set"] + [ev("report_unresponsive", 91, "mentee")]
    result = judge(events, 100)
    assert result.signals == (
        "report_unresponsive",
        "cancellations",
        "contact_gap",
        "falling_frequency",
        "no_goals",
    )
    soft = [f.penalty for f in result.findings if not f.hard]
    assert soft == sorted(soft, reverse=True)
    assert len(result.reasons) == len(result.signals) == len(result.findings) >= 3


def test_the_side_that_went_quiet_comes_before_the_gap() -> None:
    one = [*steady(47), ev("message", 52, "mentee")]
    assert judge(one, 85).signals[:2] == ("unanswered", "contact_gap")  # meetings had kept their pace
    three = [*one, ev("message", 60, "mentee"), ev("message", 70, "mentee")]
    result = judge(three, 85)
    assert result.signals[:2] == ("unanswered", "contact_gap")
    assert result.reasons[0] == "The mentee's 3 messages since 25 June are unanswered."


def test_in_a_pair_already_thinning_the_gap_comes_first_unless_several_messages_wait() -> None:
    single = [*_falling(), ev("message", 120, "mentee")]
    assert judge(single, 140).signals == ("contact_gap", "unanswered", "falling_frequency")
    several = [*single, ev("message", 125, "mentee")]
    assert judge(several, 140).signals[:2] == ("unanswered", "contact_gap")


def test_a_pair_that_never_met_is_told_so_first() -> None:
    events = [ev("message", 2, "mentor"), ev("message", 3, "mentee"), ev("pulse", 14, "mentee", 2)]
    result = judge(events, 30)
    assert result.band == "at_risk"  # the low pulse is a hard sign
    assert result.signals[0] == "no_first_meeting"
    assert "low_pulse" in result.signals


@pytest.mark.parametrize(
    ("events", "today", "reason"),
    [
        (steady(47), 82, "No meeting for 5 weeks; they agreed every 2 weeks."),
        (_cancelled(), 92, "3 of the last 4 meetings were cancelled, all by the mentor."),
        ([*steady(5), ev("message", 8, "mentee")], 16, "The mentee's message of 12 May is unanswered."),
        (
            [*steady(60), ev("pulse", 58, "mentor", 2)],
            60,
            "The mentor rated the relationship 2 of 5 on 1 July.",
        ),
        (
            [*steady(60), ev("request_rematch", 58, "mentee")],
            60,
            "The mentee asked on 1 July to be re-matched.",
        ),
        (
            [*steady(60), ev("report_unresponsive", 58, "mentor")],
            60,
            "The mentor reported on 1 July that the mentee does not respond.",
        ),
        (
            [ev("message", 2, "mentor"), ev("message", 3, "mentee")],
            30,
            "No first meeting yet, 4 weeks after the start on 4 May.",
        ),
    ],
)
def test_it_words_reasons_for_a_program_manager(events: list[Event], today: int, reason: str) -> None:
    assert judge(events, today).reasons[0] == reason


def test_a_gap_names_who_asks_for_the_cadence_the_pair_or_the_program() -> None:
    agreed = assess(History(START, 14, steady(47)), day(82))
    assert agreed.reasons[0] == "No meeting for 5 weeks; they agreed every 2 weeks."
    unagreed = assess(History(START, 14, steady(47), cadence_agreed=False), day(82))
    assert unagreed.reasons[0] == "No meeting for 5 weeks; the program asks for a meeting every 2 weeks."
    assert (unagreed.score, unagreed.signals) == (agreed.score, agreed.signals)  # only the words differ
    silent = assess(History(START, 30, steady(35, cadence=30), cadence_agreed=False), day(95))
    assert silent.reasons[0] == (
        "No meeting or answered message for 8 weeks; the program asks for a meeting every month."
    )


def test_it_words_mixed_cancellations_by_side() -> None:
    events = [*steady(47), ev("meeting_cancelled", 55, "mentor"), ev("meeting_missed", 60, "mentee")]
    assert "2 of the last 4 meetings were cancelled or missed, 1 by the mentor and 1 by the mentee." in (
        judge(events, 62).reasons
    )


def test_last_activity_is_the_latest_contact_of_the_pair() -> None:
    events = [*steady(33), ev("manager_contact", 40, "manager"), ev("pulse", 41, "mentee", 4)]
    assert last_activity(History(START, 14, events)) == at(33)
    assert last_activity(History(START, 14, [*events, ev("checkin", 45, "mentor")])) == at(45)
    assert last_activity(History(START, 14, [])) is None


events_strategy = st.lists(
    st.builds(
        Event,
        kind=st.sampled_from([*KINDS, "unknown"]),
        at=st.datetimes(dt.datetime(2026, 1, 1), dt.datetime(2027, 6, 1), timezones=st.just(dt.UTC)),
        by=st.sampled_from(["mentor", "mentee", "manager", None]),
        value=st.one_of(st.none(), st.integers(-3, 40)),
    ),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(
    events=events_strategy,
    started=st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
    cadence=st.integers(0, 60),
    offset=st.integers(-10, 400),
)
def test_random_histories_never_raise_and_stay_in_bounds(
    events: list[Event], started: dt.date, cadence: int, offset: int
) -> None:
    history = History(started, cadence, events)
    today = started + dt.timedelta(days=offset)
    result = assess(history, today)
    assert 0 <= result.score <= 100
    assert result.band in BANDS
    assert set(result.signals) <= set(SIGNALS)
    assert len(result.reasons) == len(result.signals) == len(set(result.signals))
    assert all(reason.endswith(".") and not reason[0].islower() for reason in result.reasons)
    assert (result.band == "too_early") <= (offset < 14)
    standing = settle(Standing("at_risk", today - dt.timedelta(days=7), 1), result, history, today)
    assert standing.band in BANDS


def test_the_bench_generator_runs_and_beats_no_meeting_in_30_days() -> None:
    from bench.health import evaluate
    from bench.health_histories import ARCHETYPES, generate

    pairs = generate(120, seed=5)
    assert {p.archetype for p in pairs} == set(ARCHETYPES)
    figures = evaluate(pairs)
    ours, rule = figures["Meridian health"], figures["no meeting in 30 days"]
    assert ours.f1 > rule.f1
    assert ours.false < rule.false
