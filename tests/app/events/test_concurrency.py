"""Events written at once: a feed's events commit in `seq` order, and a reader polling with its
cursor while they are written never misses one (the reason positions are drawn under a lock)."""

import random
import threading
import time

import pytest
import sqlalchemy as sa

from app.events import service as events
from app.events.models import Event
from app.extensions import db
from tests.app.events.conftest import WARD

WRITERS = 6
EVENTS_EACH = 15


@pytest.fixture
def postgres_only(is_postgres):
    if not is_postgres:
        pytest.skip("SQLite runs one writer at a time: there is no race to see")


def test_a_second_writer_waits_and_commits_after_the_first(app, postgres_only):
    """The second emit to a feed waits for the first transaction; positions follow commits."""
    first_emitted, release, second_done = threading.Event(), threading.Event(), threading.Event()
    ids = {}

    def first():
        with app.app_context():
            ids["first"] = events.emit("report.created", {"n": 1}, ward_code=WARD)
            first_emitted.set()
            release.wait(10)
            db.session.commit()

    def second():
        with app.app_context():
            ids["second"] = events.emit("report.created", {"n": 2}, ward_code=WARD)
            db.session.commit()
            second_done.set()

    one = threading.Thread(target=first)
    one.start()
    assert first_emitted.wait(10)
    two = threading.Thread(target=second)
    two.start()
    time.sleep(0.3)
    assert not second_done.is_set()  # waiting on the feed's row lock
    with app.app_context():
        assert events.read(f"ward:{WARD}", since=0, limit=10).events == []  # nothing committed
    release.set()
    one.join(10)
    two.join(10)
    with app.app_context():
        rows = db.session.execute(
            sa.select(Event.seq, Event.msg_id).where(Event.feed == f"ward:{WARD}")
        ).all()
    assert sorted(rows) == [(1, ids["first"]), (2, ids["second"])]


def _write(app, kinds: list[str], written: list, errors: list) -> None:
    """Emit each kind in a transaction of its own, holding it open a moment before commit."""
    try:
        with app.app_context():
            for kind in kinds:
                msg_id = events.emit(kind, {}, ward_code=WARD)
                time.sleep(random.uniform(0, 0.004))
                db.session.commit()
                written.append((msg_id, kind))
    except Exception as exc:  # noqa: BLE001 - reported by the test
        errors.append(exc)


@pytest.mark.parametrize("reader", ["staff", "client"])
def test_a_polling_reader_never_misses_an_event(
    app, postgres_only, staff_headers, client_headers, reader
):
    """Writers emit a mix of types while a reader polls with its cursor; at the end the reader
    has each event it may see exactly once, in commit order. The client reader skips the
    bookings, so its cursor also moves over events it does not see."""
    headers = staff_headers if reader == "staff" else client_headers("reports:read")
    seen_types = None if reader == "staff" else {"report.created"}
    written, errors = [], []
    writers = [
        threading.Thread(
            target=_write,
            args=(
                app,
                [
                    random.choice(["report.created", "appointment.booked"])
                    for _ in range(EVENTS_EACH)
                ],
                written,
                errors,
            ),
        )
        for _ in range(WRITERS)
    ]
    for thread in writers:
        thread.start()

    reader_client = app.test_client()
    got, since, polls = [], "", 0

    def poll() -> bool:
        nonlocal since, polls
        response = reader_client.get(
            f"/api/v1/changes?ward={WARD}&limit=7&since={since}", headers=headers
        )
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        got.extend(item["id"] for item in body["items"])
        since, polls = body["next"], polls + 1
        return body["has_more"]

    while any(thread.is_alive() for thread in writers):
        poll()
    for thread in writers:
        thread.join()
    while poll():
        pass
    assert errors == []
    assert polls > 3
    with app.app_context():
        in_order = list(
            db.session.scalars(
                sa.select(Event.msg_id).where(Event.feed == f"ward:{WARD}").order_by(Event.seq)
            )
        )
    assert len(in_order) == WRITERS * EVENTS_EACH
    visible = {m for m, kind in written if seen_types is None or kind in seen_types}
    assert got == [m for m in in_order if m in visible]
