"""The background worker: every module's periodic jobs are scheduled, runnable, and it starts."""

import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from app import jobs

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = {"polls.advance-due", "idempotency.purge", "notices.deliver-due"}


def test_every_registered_job_is_scheduled(app):
    """The modules' jobs reach huey's schedule: the per-minute ones at any minute."""
    names = {job.name for job in jobs.registered_jobs(app)}
    assert names >= EXPECTED
    due = {task.name for task in jobs.queue(app).read_periodic(datetime(2026, 11, 30, 9, 0))}
    assert due >= EXPECTED
    every_minute = {
        task.name for task in jobs.queue(app).read_periodic(datetime(2026, 11, 30, 9, 7))
    }
    assert "polls.advance-due" in every_minute and "notices.deliver-due" in every_minute
    assert "idempotency.purge" not in every_minute  # hourly


def test_jobs_once_runs_every_job_or_the_named_one(app):
    """`flask jobs once` runs them in process; an unknown name is refused."""
    runner = app.test_cli_runner()
    result = runner.invoke(args=["jobs", "once"])
    assert result.exit_code == 0, result.output
    assert {line.split(":")[0] for line in result.output.splitlines()} >= EXPECTED
    result = runner.invoke(args=["jobs", "once", "notices.deliver-due"])
    assert result.output.strip() == "notices.deliver-due: 0"
    result = runner.invoke(args=["jobs", "once", "no.such-job"])
    assert result.exit_code != 0 and "unknown job(s): no.such-job" in result.output


def test_the_worker_process_starts_and_stops_cleanly(database_url, tmp_path):
    """`flask jobs run` (what `make run` starts beside gunicorn) runs until interrupted."""
    env = {
        **os.environ,
        "APP_ENV": "test",
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": str(tmp_path),
        "SECRET_KEY": "test-secret-key-" + "x" * 32,
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "run", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        first = worker.stdout.readline()
        assert first.startswith("worker: "), first
        assert int(first.split()[1]) >= len(EXPECTED)
        for line in worker.stdout:
            if "The following commands are available" in line:
                break
        # huey sets its signal handlers right after listing its tasks (and starting threads);
        # a signal before that would be Python's default KeyboardInterrupt, not a shutdown.
        time.sleep(1)
        worker.send_signal(signal.SIGINT)
        output, _ = worker.communicate(timeout=60)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert worker.returncode == 0, output
    assert (tmp_path / "jobs.sqlite3").exists()
