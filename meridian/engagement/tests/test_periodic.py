"""The periodic jobs: once a period, never two bodies at once, a killed run's claim taken
over, errors raised; the tick in the worker (immediate and RQ backends), the scheduler and
the cron command. The jobs here are this module's functions, named by dotted path."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command

from meridian.engagement import periodic
from meridian.engagement.models import PeriodicRun
from meridian.engagement.periodic import Outcome, PeriodicJob
from meridian.engagement.periodic_tasks import periodic_tick
from tests.redis_server import rq_work_burst

pytestmark = pytest.mark.django_db
HERE = __name__
NOW = dt.datetime(2026, 3, 2, 10, 7, 30, tzinfo=dt.UTC)
FIVE = dt.timedelta(minutes=5)
calls: list[tuple[str, dt.datetime]] = []
nested: list[Outcome] = []


def count(now: dt.datetime) -> str:
    calls.append(("count", now))
    return f"counted at {now:%H:%M}"


def reenter(now: dt.datetime) -> str:
    """While this body runs, the same job is started again (a second worker, a cron)."""
    calls.append(("reenter", now))
    nested.append(periodic.run_job(REENTER, now=now + dt.timedelta(seconds=1), force=True))
    return "once"


def fail(now: dt.datetime) -> str:
    calls.append(("fail", now))
    raise ValueError("the sweep broke")


COUNT = PeriodicJob("count", f"{HERE}.count", every=FIVE, stale_after=dt.timedelta(minutes=30))
REENTER = PeriodicJob("reenter", f"{HERE}.reenter", every=FIVE)
FAIL = PeriodicJob("fail", f"{HERE}.fail", daily_at_hour=3)
MISSING = PeriodicJob("missing", "meridian.engagement.no_such_module.run", every=FIVE)
REAL_JOBS = periodic.JOBS


@pytest.fixture(autouse=True)
def _fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    calls.clear()
    nested.clear()
    monkeypatch.setattr(periodic, "JOBS", (COUNT, FAIL, MISSING))


def _run(name: str) -> PeriodicRun:
    return PeriodicRun.objects.get(name=name)


@pytest.mark.parametrize(
    ("job", "now", "start"),
    [
        (COUNT, NOW, NOW.replace(minute=5, second=0)),
        (COUNT, NOW.replace(minute=5, second=0), NOW.replace(minute=5, second=0)),
        (FAIL, NOW, NOW.replace(hour=3, minute=0, second=0)),
        (FAIL, NOW.replace(hour=2, minute=59), NOW.replace(day=1, hour=3, minute=0, second=0)),
    ],
)
def test_a_period_starts_at_its_boundary_in_utc(job, now, start):
    assert job.period_start(now) == start
    assert job.period_start(now.astimezone(dt.timezone(dt.timedelta(hours=-5)))) == start


def test_a_job_runs_once_a_period():
    assert periodic.run_job(COUNT, now=NOW) == Outcome("count", "ran", "counted at 10:07")
    assert periodic.run_job(COUNT, now=NOW + dt.timedelta(minutes=2)) == Outcome("count", "not_due")
    assert periodic.run_job(COUNT, now=NOW + dt.timedelta(minutes=3)).status == "ran"  # 10:10:30
    assert [when for _, when in calls] == [NOW, NOW + dt.timedelta(minutes=3)]
    run = _run("count")
    assert (run.running_since, run.last_started_at, run.last_summary) == (
        None,
        NOW + dt.timedelta(minutes=3),
        "counted at 10:10",
    )
    assert run.last_finished_at is not None


def test_two_runs_at_once_run_one_body_even_when_forced():
    assert periodic.run_job(REENTER, now=NOW) == Outcome("reenter", "ran", "once")
    assert [name for name, _ in calls] == ["reenter"]
    assert nested == [Outcome("reenter", "running", "running since 2026-03-02 10:07 UTC")]
    assert _run("reenter").running_since is None


def test_a_killed_runs_claim_is_taken_over_once_stale_and_not_before():
    killed_at = NOW - dt.timedelta(minutes=20)  # started in an earlier period, never finished
    PeriodicRun.objects.create(name="count", last_started_at=killed_at, running_since=killed_at)
    assert periodic.run_job(COUNT, now=NOW).status == "running"
    assert periodic.run_job(COUNT, now=NOW, force=True).status == "running"
    assert not calls

    later = killed_at + COUNT.stale_after + dt.timedelta(seconds=1)
    assert periodic.run_job(COUNT, now=later).status == "ran"
    assert [when for _, when in calls] == [later]
    assert _run("count").running_since is None


def test_a_failing_job_raises_releases_its_claim_and_runs_again_next_period():
    with pytest.raises(ValueError, match="the sweep broke"):
        periodic.run_job(FAIL, now=NOW)
    run = _run("fail")
    assert (run.running_since, run.last_summary) == (None, "failed: ValueError: the sweep broke")
    assert periodic.run_job(FAIL, now=NOW + dt.timedelta(hours=1)).status == "not_due"
    with pytest.raises(ValueError, match="the sweep broke"):
        periodic.run_job(FAIL, now=NOW + dt.timedelta(days=1))
    assert len(calls) == 2


def test_a_job_not_written_yet_is_not_available_but_a_broken_import_is_raised(tmp_path, monkeypatch):
    assert periodic.run_job(MISSING, now=NOW) == Outcome("missing", "not_available")
    no_function = PeriodicJob("nofunc", f"{HERE}.no_such_function", every=FIVE)
    assert periodic.run_job(no_function, now=NOW).status == "not_available"
    assert not PeriodicRun.objects.filter(name__in=["missing", "nofunc"]).exists()

    (tmp_path / "broken_periodic_job.py").write_text("import no_such_dependency\n\ndef run(now): ...\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    broken = PeriodicJob("broken", "broken_periodic_job.run", every=FIVE)
    with pytest.raises(ModuleNotFoundError, match="no_such_dependency"):
        periodic.run_job(broken, now=NOW)


def test_due_lists_the_jobs_a_claim_would_take_in_two_queries(django_assert_num_queries):
    PeriodicRun.objects.create(name="count", last_started_at=NOW - FIVE)  # earlier period
    PeriodicRun.objects.create(name="fail", last_started_at=NOW, running_since=NOW)
    with django_assert_num_queries(2):
        assert periodic.due(NOW) == [COUNT]
    PeriodicRun.objects.filter(name="count").update(last_started_at=NOW)
    assert periodic.due(NOW) == []
    assert periodic.due(NOW + FAIL.stale_after + dt.timedelta(seconds=1)) == [COUNT, FAIL]


@pytest.fixture
def _fail_ran_today() -> None:
    PeriodicRun.objects.create(name="fail", last_started_at=NOW.replace(hour=3))


@pytest.mark.usefixtures("_fail_ran_today")
def test_the_tick_runs_each_due_job_as_its_own_task():
    with time_machine.travel(NOW, tick=False):
        result = periodic_tick.enqueue()  # the immediate backend: the jobs run at once too
        assert result.return_value == "count"  # "fail" ran at 03:00, "missing" does not exist
        assert periodic_tick.enqueue().return_value == "nothing due"
    assert calls == [("count", NOW)]


@pytest.mark.usefixtures("_fail_ran_today")
def test_the_scheduler_enqueues_a_tick():
    out = io.StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("scheduler", "--once", stdout=out)
    assert calls == [("count", NOW)]
    assert _run("count").last_summary == "counted at 10:07"


def test_run_periodic_for_cron_prints_summaries_and_fails_loudly_after_running_the_rest():
    out, err = io.StringIO(), io.StringIO()
    with time_machine.travel(NOW, tick=False), pytest.raises(CommandError, match="failed: fail"):
        call_command("run_periodic", stdout=out, stderr=err)
    assert out.getvalue().splitlines() == ["count: counted at 10:07", "missing: not available"]
    assert "ValueError: the sweep broke" in err.getvalue()

    out = io.StringIO()
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        call_command("run_periodic", "--only", "count", stdout=out)
        call_command("run_periodic", "--only", "count", "--force", stdout=out)
    assert out.getvalue().splitlines() == ["count: not due", "count: counted at 10:08"]
    assert len(calls) == 3


@pytest.mark.usefixtures("_fail_ran_today")
def test_on_the_rq_backend_the_tick_and_its_job_run_in_an_rq_worker(rq_tasks):
    with time_machine.travel(NOW):  # the clock runs (rq's worker waits on it)
        tick = periodic_tick.enqueue()
        assert not calls  # waiting in Redis
        finished, failed = rq_work_burst()
    assert failed == []
    assert len(finished) == 2  # the tick and the job it enqueued
    assert periodic_tick.get_result(tick.id).return_value == "count"
    assert [name for name, _ in calls] == ["count"]
    assert _run("count").last_summary == "counted at 10:07"


def test_the_table_names_the_sweep_daily_reminders_every_five_minutes_and_digests_hourly():
    schedules = {job.name: (job.target, job.every, job.daily_at_hour) for job in REAL_JOBS}
    assert schedules == {
        "health": ("meridian.engagement.sweep.run", None, 3),
        "reminders": ("meridian.engagement.reminders.run", FIVE, None),
        "digests": ("meridian.engagement.digests.run", dt.timedelta(hours=1), None),
        "housekeeping": ("meridian.engagement.housekeeping.run", None, 4),
    }
    with pytest.raises(ValueError, match="either every or daily_at_hour"):
        PeriodicJob("both", f"{HERE}.count", every=FIVE, daily_at_hour=3)
