"""The change feed: one writer in the change's transaction, positions in order per feed, paging
with `since`/`next`/`has_more`, refused cursors, who may read, and what an API client sees."""

import pytest
import sqlalchemy as sa

from app.departments.models import Department
from app.events import service as events
from app.events.models import Event, EventSequence
from app.extensions import db
from app.identity import service as identity
from app.identity.demo import citizens_of
from app.identity.models import RoleGrant
from app.pagination import encode_cursor
from tests.app.events.conftest import OTHER_WARD, WARD, bearer, read_all
from tests.reports.conftest import report_body


def _feed_rows(app, feed: str) -> list[tuple[int, str]]:
    with app.app_context():
        return db.session.execute(
            sa.select(Event.seq, Event.type).where(Event.feed == feed).order_by(Event.seq)
        ).all()


def _changes(client, headers, query: str):
    return client.get(f"/api/v1/changes?{query}", headers=headers)


# One writer, in the change's transaction


def test_an_event_rolls_back_with_its_transaction(app):
    """Rolled back: no event, and the feed's position is not used up (no gap)."""
    with app.app_context():
        events.emit("report.created", {"report_id": 1}, ward_code=WARD)
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0
        events.emit("report.created", {"report_id": 2}, ward_code=WARD)
        db.session.commit()
    assert _feed_rows(app, f"ward:{WARD}") == [(1, "report.created")]


def test_a_refused_request_leaves_no_event(app, client, person_headers, monkeypatch):
    """A request that fails after its change emitted (here: a conflict raised right after the
    event) commits neither the report nor the event."""
    from app.errors import Conflict
    from reports import events as report_events
    from reports.models import Report

    headers = person_headers(citizens_of(WARD)[3].sub)
    announce = report_events.created

    def announce_then_fail(report, now):
        announce(report, now)
        raise Conflict("Thử lỗi sau khi đã ghi sự kiện.")

    monkeypatch.setattr(report_events, "created", announce_then_fail)
    assert client.post("/api/v1/reports", json=report_body(), headers=headers).status_code == 409
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Report)) == 0
    assert _feed_rows(app, f"ward:{WARD}") == []

    monkeypatch.setattr(report_events, "created", announce)
    assert client.post("/api/v1/reports", json=report_body(), headers=headers).status_code == 201
    assert _feed_rows(app, f"ward:{WARD}") == [(1, "report.created")]


def test_an_undeclared_type_is_refused(app):
    with app.app_context(), pytest.raises(ValueError, match="not declared"):
        events.emit("report.exploded", {}, ward_code=WARD)


def test_each_feed_numbers_its_own_events_in_order(app, emit):
    for _ in range(3):
        emit("report.created", ward=WARD)
        emit("kpi.recorded", ward=OTHER_WARD)
    emit("kpi.recorded", ward=None)  # the city's feed
    assert [seq for seq, _ in _feed_rows(app, f"ward:{WARD}")] == [1, 2, 3]
    assert [seq for seq, _ in _feed_rows(app, f"ward:{OTHER_WARD}")] == [1, 2, 3]
    assert _feed_rows(app, "city") == [(1, "kpi.recorded")]
    with app.app_context():
        lasts = dict(db.session.execute(sa.select(EventSequence.feed, EventSequence.last)).all())
    assert lasts == {f"ward:{WARD}": 3, f"ward:{OTHER_WARD}": 3, "city": 1}


# Paging


def test_paging_follows_next_until_has_more_is_false(app, client, staff_headers, emit):
    ids = emit("report.created", n=7)
    pages = []
    since = ""
    while True:
        body = _changes(client, staff_headers, f"ward={WARD}&limit=3&since={since}").get_json()
        pages.append(([i["id"] for i in body["items"]], body["has_more"]))
        since = body["next"]
        if not body["has_more"]:
            break
    assert pages == [(ids[0:3], True), (ids[3:6], True), (ids[6:7], False)]

    # Nothing new: an empty page that keeps the cursor.
    body = _changes(client, staff_headers, f"ward={WARD}&since={since}").get_json()
    assert body == {"items": [], "next": since, "has_more": False}

    # One more event: exactly that one.
    new = emit("report.created")
    body = _changes(client, staff_headers, f"ward={WARD}&since={since}").get_json()
    assert [i["id"] for i in body["items"]] == new and body["has_more"] is False


def test_an_item_is_the_webhook_body_with_its_id_and_ward(app, client, staff_headers):
    with app.app_context():
        msg_id = events.emit("report.created", {"report_id": 5}, ward_code=WARD)
        db.session.commit()
    (item,) = _changes(client, staff_headers, "ward=hoan-kiem").get_json()["items"]
    assert item["id"] == msg_id and msg_id.startswith("msg_")
    assert item["type"] == "report.created" and item["ward"] == WARD
    assert item["data"] == {"report_id": 5}
    assert item["timestamp"].endswith("+07:00")


def test_the_first_read_of_an_empty_feed(client, staff_headers):
    body = _changes(client, staff_headers, f"ward={WARD}").get_json()
    assert body["items"] == [] and body["has_more"] is False
    assert _changes(client, staff_headers, f"ward={WARD}&since={body['next']}").status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        f"ward={WARD}&since=not-a-cursor",
        f"ward={WARD}&since=%00",
        f"ward={WARD}&since={encode_cursor(['3'])}",
        f"ward={WARD}&since={encode_cursor([1, 2])}",
        f"ward={WARD}&since={encode_cursor([True])}",
        f"ward={WARD}&since={encode_cursor([-1])}",
        f"ward={WARD}&since={encode_cursor([2**70])}",
        f"ward={WARD}&since={encode_cursor([4])}",  # past the feed's head (3)
        f"ward={WARD}&limit=0",
        f"ward={WARD}&limit=201",
        f"ward={WARD}&department=SKHCN",
        "since=",
    ],
)
def test_a_bad_cursor_or_argument_is_422(client, staff_headers, emit, query):
    emit("report.created", n=3)
    response = _changes(client, staff_headers, query)
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["error"]["code"] == "validation_error"


# Who may read


def test_who_reads_a_wards_feed(
    client, emit, staff_headers, other_staff_headers, resident_headers, city_admin_headers
):
    emit("appointment.booked")
    assert _changes(client, {}, f"ward={WARD}").status_code == 401
    assert _changes(client, bearer("pxs_not-a-token"), f"ward={WARD}").status_code == 401
    assert _changes(client, resident_headers, f"ward={WARD}").status_code == 403
    assert _changes(client, other_staff_headers, f"ward={WARD}").status_code == 403
    for headers in (staff_headers, city_admin_headers):
        body = _changes(client, headers, f"ward={WARD}").get_json()
        assert [i["type"] for i in body["items"]] == ["appointment.booked"]  # staff see all
    assert _changes(client, staff_headers, "ward=99999").status_code == 404


# API clients


def test_a_client_sees_only_the_types_its_scopes_cover(client, client_headers, emit):
    emit("report.created")
    emit("appointment.booked", n=2)  # staff only
    emit("kpi.recorded")
    emit("report.created")
    emit("appointment.booked")
    reports_reader = client_headers("reports:read")
    items, last, _ = read_all(client, reports_reader, limit=1)
    assert [i["type"] for i in items] == ["report.created", "report.created"]
    assert last == encode_cursor([6])  # past the skipped events, up to the head

    kpi_reader = client_headers("kpi:read notices:read", wards="all")
    items, _, _ = read_all(client, kpi_reader)
    assert [i["type"] for i in items] == ["kpi.recorded"]

    # A client with no scope that reads events reads nothing, and its cursor still moves on.
    writer = client_headers("reports:write")
    body = _changes(client, writer, f"ward={WARD}").get_json()
    assert body == {"items": [], "next": encode_cursor([6]), "has_more": False}


def test_has_more_counts_only_what_the_client_may_see(client, client_headers, emit):
    """Two visible events among hidden ones, one a page: the second page says no more."""
    emit("report.created")
    emit("appointment.booked")
    emit("report.created")
    emit("appointment.booked", n=3)
    reader = client_headers("reports:read")
    first = _changes(client, reader, f"ward={WARD}&limit=1").get_json()
    assert [i["type"] for i in first["items"]] == ["report.created"] and first["has_more"]
    assert first["next"] == encode_cursor([2])  # up to just before the next visible one
    second = _changes(client, reader, f"ward={WARD}&limit=1&since={first['next']}").get_json()
    assert len(second["items"]) == 1 and second["has_more"] is False
    assert second["next"] == encode_cursor([6])
    emit("appointment.booked")
    emit("report.created")
    third = _changes(client, reader, f"ward={WARD}&since={second['next']}").get_json()
    assert [i["type"] for i in third["items"]] == ["report.created"]
    assert third["next"] == encode_cursor([8])


def test_a_long_run_of_hidden_events_is_read_in_windows(client, client_headers, emit, monkeypatch):
    """A reader that sees few types looks through at most SCAN_WINDOW positions a read; the
    page may end empty with has_more, and following `next` reaches what it may see."""
    monkeypatch.setattr(events, "SCAN_WINDOW", 3)
    emit("appointment.booked", n=7)
    emit("report.created")
    reader = client_headers("reports:read")
    first = _changes(client, reader, f"ward={WARD}").get_json()
    assert first == {"items": [], "next": encode_cursor([3]), "has_more": True}
    items, last, reads = read_all(client, reader, since=first["next"])
    assert [i["type"] for i in items] == ["report.created"] and last == encode_cursor([8])
    assert reads == 2  # 4–6, then 7–8


def test_a_client_outside_its_wards_is_refused(client, client_headers, emit):
    emit("report.created", ward=OTHER_WARD)
    response = _changes(client, client_headers("reports:read"), f"ward={OTHER_WARD}")
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "insufficient_scope"
    everywhere = client_headers("reports:read", wards="all")
    assert len(_changes(client, everywhere, f"ward={OTHER_WARD}").get_json()["items"]) == 1


def test_a_revoked_or_expired_client_token_is_401(app, client, emit):
    from datetime import timedelta

    from app.identity.models import User

    emit("report.created")
    with app.app_context():
        user = User(issuer="api-client", sub="client-expired")
        db.session.add(user)
        db.session.flush()
        token, _ = identity.issue_token(
            user, scope="reports:read", wards=WARD, lifetime=timedelta(seconds=-1)
        )
        db.session.commit()
    assert _changes(client, bearer(token), f"ward={WARD}").status_code == 401


# A department's feed


@pytest.fixture
def department(app):
    """A department (made here when app/departments has not loaded the city's list)."""
    with app.app_context():
        if db.session.get(Department, "SKHCN") is None:
            db.session.add(
                Department(
                    code="SKHCN",
                    name="Sở Khoa học và Công nghệ",
                    short_name="Sở KH&CN",
                    slug="so-khoa-hoc-va-cong-nghe",
                    search_text="so khoa hoc va cong nghe",
                )
            )
            db.session.commit()
    return "SKHCN"


def test_a_departments_feed(app, client, department, person_headers, client_headers, emit):
    emit("report.created", ward=None, department_code=department)
    emit("report.created", ward=WARD)
    sub = citizens_of(WARD)[5].sub
    headers = person_headers(sub)
    assert _changes(client, headers, f"department={department}").status_code == 403
    with app.app_context():
        user = identity.sign_in(provider=identity.MOCK_PROVIDER, claims={"sub": sub})
        db.session.add(
            RoleGrant(
                user_id=user.id,
                role="department_editor",
                department_code=department,
                scope=f"department:{department}",
            )
        )
        db.session.commit()
    with app.app_context():
        slug = db.session.get(Department, department).slug
    body = _changes(client, headers, f"department={slug}").get_json()
    assert [(i["type"], i["ward"]) for i in body["items"]] == [("report.created", None)]
    # Not a ward's staff for all that.
    assert _changes(client, headers, f"ward={WARD}").status_code == 403

    assert _changes(client, client_headers("reports:read"), "department=SKHCN").status_code == 403
    city_wide = client_headers("reports:read", wards="all")
    assert len(_changes(client, city_wide, "department=skhcn").get_json()["items"]) == 1

    response = _changes(client, headers, "department=SXYZ")
    assert response.status_code == 404
    assert response.get_json()["error"]["message"] == "Không tìm thấy sở, ban, ngành này."
