"""The background worker: the periodic jobs the modules register, run by huey.

`flask --app wsgi jobs run` starts huey's consumer (`make run` starts it beside gunicorn);
`flask --app wsgi jobs once [NAME…]` runs jobs once, in process (cron, tests, a manual
catch-up). Each module lists its jobs in its manifest (`periodic_jobs`); the core never names
them. Storage: huey's SQLite storage under `instance/` in development, Redis when `REDIS_URL`
is set (several hosts). See docs/decisions/0011-background-worker.md.

Several workers may run at once (two hosts, a restart that overlaps), and the same job may run
in two of them at the same moment: every job claims each row it moves with a conditional
UPDATE or a row lock, so the second run finds nothing to do (tested on PostgreSQL).
Nothing depends on the worker being on time: readers derive time-dependent states themselves.

huey's scheduler wakes once a minute, so a job due more often (`every_seconds` < 60, e.g. the
webhook deliveries every second) runs in `jobs run` on a thread of its own instead: it runs,
sleeps its interval, and stops when the consumer stops. `jobs once` runs it once like any other.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from huey import RedisHuey, SqliteHuey, crontab
from huey.api import Huey

from app.registry import PeriodicJob, manifests

log = logging.getLogger(__name__)

jobs_cli = AppGroup("jobs", help="The background worker and its periodic jobs.")


def init_app(app: Flask) -> None:
    """Create the task queue of this app and register every module's periodic jobs with it."""
    tasks = _make_queue(app)
    app.extensions["huey"] = tasks
    for job in registered_jobs(app):
        if not is_sub_minute(job):
            _register(app, tasks, job)
    app.cli.add_command(jobs_cli)


def _make_queue(app: Flask) -> Huey:
    """Return huey on Redis if configured, else on a SQLite file under the instance folder."""
    redis_url = app.config.get("REDIS_URL")
    if redis_url:
        return RedisHuey("pxs", url=redis_url, results=False)
    path = Path(app.instance_path) / "jobs.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("pxs", filename=str(path), results=False)


def registered_jobs(app: Flask) -> list[PeriodicJob]:
    """Return the periodic jobs of every installed module, in module order."""
    return [job for manifest in manifests(app) for job in manifest.periodic_jobs]


def is_sub_minute(job: PeriodicJob) -> bool:
    """Tell whether a job is due more often than huey's scheduler wakes (once a minute)."""
    return job.every_seconds < 60


def queue(app: Flask | None = None) -> Huey:
    """Return the app's task queue."""
    return (app or current_app).extensions["huey"]


def _register(app: Flask, tasks: Huey, job: PeriodicJob) -> None:
    """Register a job as a huey periodic task running in an app context, one run at a time."""
    minutes = max(1, job.every_seconds // 60)  # huey's scheduler wakes once a minute

    def run():
        # No huey task lock: a worker killed mid-job would leave it held for good (huey's SQLite
        # storage has no expiring locks), and every job claims what it moves anyway.
        with app.app_context():
            return run_job(job)

    run.__name__ = run.__qualname__ = job.name.replace(".", "_").replace("-", "_")
    tasks.periodic_task(crontab(minute=f"*/{minutes}"), name=job.name)(run)


def run_job(job: PeriodicJob) -> int | None:
    """Run one job now, in the current app context, and log what it did."""
    done = job.func()
    log.info("job %s: %s", job.name, done)
    return done


class JobLoop:
    """Run one sub-minute job on a thread of its own: run, sleep its interval, until stopped."""

    def __init__(self, app: Flask, job: PeriodicJob, stop: threading.Event):
        self.app = app
        self.job = job
        self.stop = stop
        self.runs = 0
        self.thread = threading.Thread(target=self._loop, name=f"job-{job.name}", daemon=True)

    def start(self) -> JobLoop:
        """Start the thread; return self."""
        self.thread.start()
        return self

    def _loop(self) -> None:
        from app.extensions import db

        while not self.stop.is_set():
            try:
                with self.app.app_context():
                    try:
                        run_job(self.job)
                    finally:
                        db.session.remove()
            except Exception:
                # A failed run (the database restarting, a bug) must not end the loop: the
                # next run tries again, and what was not done stays to do.
                log.exception("job %s failed", self.job.name)
            self.runs += 1
            self.stop.wait(self.job.every_seconds)

    def join(self, timeout: float | None = None) -> None:
        """Wait for the thread to end (after `stop` is set)."""
        self.thread.join(timeout)


def start_sub_minute_loops(app: Flask, stop: threading.Event) -> list[JobLoop]:
    """Start a thread for every job due more often than once a minute."""
    return [JobLoop(app, job, stop).start() for job in registered_jobs(app) if is_sub_minute(job)]


@jobs_cli.command("run")
@click.option("--workers", default=2, show_default=True, help="Threads running jobs.")
def run_command(workers: int):
    """Start the worker: run the periodic jobs on their schedules until stopped (Ctrl-C)."""
    app = current_app._get_current_object()
    consumer = queue().create_consumer(workers=workers, periodic=True, worker_type="thread")
    click.echo(f"worker: {len(registered_jobs(app))} periodic job(s), {workers} thread(s)")
    stop = threading.Event()
    loops = start_sub_minute_loops(app, stop)
    try:
        consumer.run()
    finally:
        stop.set()
        for loop in loops:
            loop.join(timeout=60)


@jobs_cli.command("once")
@click.argument("names", nargs=-1)
def once_command(names: tuple[str, ...]):
    """Run the named periodic jobs once now (all of them without names)."""
    jobs = registered_jobs(current_app)
    unknown = set(names) - {job.name for job in jobs}
    if unknown:
        raise click.BadParameter(f"unknown job(s): {', '.join(sorted(unknown))}")
    for job in jobs:
        if not names or job.name in names:
            click.echo(f"{job.name}: {run_job(job)}")
