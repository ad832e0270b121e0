"""Races: simultaneous reads, creations of version 1 and publications never answer 500."""

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from unittest import mock

import sqlalchemy as sa

from app.departments.service import DEPARTMENTS
from app.extensions import db
from app.wards.models import Ward
from miniapps.config import service
from miniapps.config.models import MiniappVersion
from miniapps.config.service import initial
from tests.conftest import csrf_headers, grant, login_as, make_app

from .conftest import HOAN_KIEM

PUBLIC = "/api/v1/wards/{}/miniapp"


def workers(database_url, count=2):
    """Return `count` apps on the same database, as separate gunicorn workers would be."""
    return [make_app(database_url, os.environ["PXS_TEST_INSTANCE"]) for _ in range(count)]


def dispose(apps):
    """Close the extra apps' connections."""
    for extra in apps:
        with extra.app_context():
            db.session.remove()
            db.engine.dispose()


def run_together(calls):
    """Run the calls in threads that start at the same moment; return their results."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def test_two_workers_reading_at_once_write_nothing(app, database_url):
    """Two workers reading untouched wards at once both answer version 1; no row is written."""
    with app.app_context():
        before = db.session.scalar(sa.select(sa.func.count()).select_from(MiniappVersion))
    apps = workers(database_url)
    clients = [extra.test_client() for extra in apps]
    try:
        for ward in ("00025", "00592", "00424", "09661", "00283"):
            responses = run_together([lambda c=c, w=ward: c.get(PUBLIC.format(w)) for c in clients])
            assert [r.status_code for r in responses] == [200, 200], ward
            assert len({r.headers["ETag"] for r in responses}) == 1
            assert {r.headers["X-Miniapp-Version"] for r in responses} == {"1"}
    finally:
        dispose(apps)
    with app.app_context():
        after = db.session.scalar(sa.select(sa.func.count()).select_from(MiniappVersion))
    assert after == before == 126 + len(DEPARTMENTS)  # each ward's and department's version 1


def test_losing_the_race_for_version_1_reads_the_winners(app):
    """When version 1 appears between the check and the insert, the loser reads it: no error."""
    with app.app_context():
        ward = db.session.get(Ward, HOAN_KIEM)
        winner = service.ensure_initial_version(ward)
        db.session.commit()
        real_latest = initial.latest_version
        calls = []

        def late_latest(ward_code):
            calls.append(ward_code)
            return None if len(calls) == 1 else real_latest(ward_code)

        with mock.patch.object(initial, "latest_version", side_effect=late_latest):
            loser = service.ensure_initial_version(ward)
        assert len(calls) == 2  # the insert collided, and the winner's row was read
        assert (loser.version, loser.etag) == (1, winner.etag)
        db.session.rollback()


def test_two_simultaneous_publications_make_one_version(app, database_url, citizens):
    """Two admins publishing the same draft at once: one version, the other a clear 409."""
    admin_sub = next(c.sub for c in citizens if c.ward_code == HOAN_KIEM)
    grant(app, admin_sub, "ward_admin", ward=HOAN_KIEM)
    apps = workers(database_url)
    try:
        clients = [extra.test_client() for extra in apps]
        headers = []
        for c in clients:
            login_as(c, admin_sub)
            headers.append(csrf_headers(c))
        draft_url = f"/api/v1/wards/{HOAN_KIEM}/miniapp/draft"
        document = clients[0].get(draft_url).get_json()
        document["app"]["subtitle"] = "Cùng lúc"
        assert clients[0].put(draft_url, json=document, headers=headers[0]).status_code == 200
        publish_url = f"/api/v1/wards/{HOAN_KIEM}/miniapp/publish"
        responses = run_together(
            [
                lambda c=c, h=h: c.post(publish_url, headers=h)
                for c, h in zip(clients, headers, strict=True)
            ]
        )
        assert sorted(r.status_code for r in responses) == [201, 409]
        versions = clients[0].get(f"/api/v1/wards/{HOAN_KIEM}/miniapp/versions").get_json()
        assert [v["version"] for v in versions["items"]] == [2, 1]
    finally:
        dispose(apps)
