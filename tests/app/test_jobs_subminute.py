"""Jobs due more often than huey's once-a-minute scheduler run on a thread loop of their own."""

import threading
from datetime import datetime

from app import jobs
from app.registry import PeriodicJob


def test_sub_minute_jobs_are_not_left_to_hueys_scheduler(app):
    """webhooks.deliver (every second) is a registered job, run by its own loop, not by huey."""
    by_name = {job.name: job for job in jobs.registered_jobs(app)}
    assert jobs.is_sub_minute(by_name["webhooks.deliver"])
    due = {task.name for task in jobs.queue(app).read_periodic(datetime(2026, 11, 30, 9, 0))}
    assert "webhooks.deliver" not in due and "polls.advance-due" in due


def test_a_loop_runs_its_job_again_survives_failures_and_stops(app):
    """The loop runs the job in an app context until told to stop; a failing run is logged."""
    stop = threading.Event()
    seen = []

    def job():
        from flask import current_app

        seen.append(current_app.name)
        if len(seen) == 2:
            raise RuntimeError("one bad run")
        if len(seen) == 4:
            stop.set()
        return len(seen)

    loop = jobs.JobLoop(app, PeriodicJob("test.fast", job, every_seconds=0), stop).start()
    loop.join(timeout=30)
    assert not loop.thread.is_alive()
    assert len(seen) == 4 and loop.runs == 4


def test_start_sub_minute_loops_starts_one_thread_per_fast_job(app, monkeypatch):
    """Only the fast jobs get a thread; setting the event stops them all."""
    ran = threading.Event()
    fast = PeriodicJob("test.fast", lambda: ran.set() or 0, every_seconds=1)
    slow = PeriodicJob("test.slow", lambda: 0, every_seconds=300)
    monkeypatch.setattr(jobs, "registered_jobs", lambda _app: [fast, slow])
    stop = threading.Event()
    loops = jobs.start_sub_minute_loops(app, stop)
    assert [loop.job.name for loop in loops] == ["test.fast"]
    assert ran.wait(30)
    stop.set()
    for loop in loops:
        loop.join(timeout=30)
        assert not loop.thread.is_alive()
