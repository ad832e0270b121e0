"""City-wide publishing: one notice to many wards (or all 126), its reach, its refusals, and the
events notices and polls announce (once each, with no personal data)."""

import json
import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from app.departments.models import Department
from app.events.models import Event
from app.extensions import db
from app.identity import service as identity
from app.identity.models import User
from app.wards.models import Ward
from community.groups.models import WardFollow
from community.notices import cli as notice_jobs
from community.notices.models import Notice, NoticeBroadcast
from community.polls import cli as poll_jobs
from tests.community.conftest import OTHER_WARD, WARD
from tests.conftest import grant

THIRD_WARD = "00592"
DEPARTMENTS = {
    "SKHCN": ("Sở Khoa học và Công nghệ", "Sở KH&CN", "so-khoa-hoc-va-cong-nghe"),
    "SCT": ("Sở Công Thương", "Sở Công Thương", "so-cong-thuong"),
}


def broadcast_body(**overrides) -> dict:
    """A valid city-wide notice body with overrides."""
    body = {
        "title": "Diễn tập phòng cháy chữa cháy",
        "body": "Diễn tập phòng cháy chữa cháy sáng Chủ nhật tại các khu dân cư.",
        "wards": [WARD, OTHER_WARD],
        "category": "an_ninh_trat_tu",
    }
    body.update(overrides)
    return body


@pytest.fixture
def departments(app):
    """Two departments (the department module seeds the city's own; these stand for them)."""
    with app.app_context():
        for code, (name, short, slug) in DEPARTMENTS.items():
            if db.session.get(Department, code) is None:
                db.session.add(
                    Department(code=code, name=name, short_name=short, slug=slug, search_text=slug)
                )
        db.session.commit()
    return list(DEPARTMENTS)


def grant_department(app, sub: str, role: str, department: str) -> None:
    """Grant a department role to someone who has signed in once."""
    with app.app_context():
        users = identity.find_by_sub(sub)
        assert users, "sign in once first"
        for user in users:
            identity.grant_role(
                user=user,
                role=role,
                ward_code=None,
                community_id=None,
                department_code=department,
            )
        db.session.commit()


def client_token(app, *, scope: str, wards: str) -> dict:
    """Issue an API client's token (its service account's) and return its bearer header."""
    with app.app_context():
        account = User(issuer="api-client", sub="client-test-" + scope.replace(":", "-"))
        db.session.add(account)
        db.session.flush()
        raw, _ = identity.issue_token(account, scope=scope, wards=wards)
        db.session.commit()
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def city_admin(app, citizens):
    """A city admin (a demo citizen of a third ward)."""
    sub = next(c.sub for c in citizens if c.ward_code == THIRD_WARD)
    grant(app, sub, "city_admin")
    return sub


def follow(api, sub: str, ward: str) -> None:
    api.login(sub)
    assert api.post(f"/api/v1/wards/{ward}/follow").status_code in (200, 201, 204)


def feed_titles(api, sub: str) -> list[str]:
    api.login(sub)
    return [n["title"] for n in api.get("/api/v1/me/feed").get_json()["items"]]


def two_workers(app, job) -> list[int]:
    """Run a worker job in two threads at once (two workers); return what each did."""
    done: list[int] = []
    start = threading.Barrier(2)

    def worker():
        with app.app_context():
            start.wait()
            done.append(job())

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(done)


def events_of(app, event_type: str) -> list[Event]:
    with app.app_context():
        rows = db.session.scalars(sa.select(Event).where(Event.type == event_type)).all()
        db.session.expunge_all()
        return list(rows)


def test_city_admin_reaches_all_126_wards_and_sees_reach(app, api, people, others, city_admin):
    """ "all": one notice per ward, each in its followers' feeds; reach per ward and in total."""
    follow(api, people[2], WARD)
    follow(api, people[3], WARD)
    follow(api, others[2], OTHER_WARD)
    with app.app_context():
        codes = list(db.session.scalars(sa.select(Ward.code).order_by(Ward.code)))
        # One more follower in every ward, so that every ward's audience is counted.
        for code in codes:
            person = User(issuer="test", sub=f"follower-{code}", name="Người theo dõi")
            db.session.add(person)
            db.session.flush()
            db.session.add(WardFollow(user_id=person.id, ward_code=code))
        db.session.commit()
    assert len(codes) == 126

    api.login(city_admin)
    created = api.post("/api/v1/notices", json=broadcast_body(wards="all"))
    assert created.status_code == 201, created.get_json()
    data = created.get_json()
    assert data["wards"] == 126
    assert sorted(n["ward"] for n in data["notices"]) == codes
    assert data["department"] is None
    assert data["audience"] == 126 + 3

    assert "Diễn tập phòng cháy chữa cháy" in feed_titles(api, people[2])
    assert "Diễn tập phòng cháy chữa cháy" in feed_titles(api, others[2])
    ward_notice = next(n["id"] for n in data["notices"] if n["ward"] == WARD)
    api.login(people[2])
    assert api.post(f"/api/v1/notices/{ward_notice}/read").status_code == 200

    api.login(city_admin)
    reach = api.get(f"/api/v1/broadcasts/{data['id']}").get_json()
    assert (reach["wards"], reach["audience"], reach["read"]) == (126, 129, 1)
    assert reach["share"] == round(1 / 129, 4)
    by_ward = {i["ward"]: i for i in reach["items"]}
    assert len(by_ward) == 126
    assert by_ward[WARD] == {
        "ward": WARD,
        "name": "Phường Hoàn Kiếm",
        "notice_id": ward_notice,
        "status": "published",
        "delivered": True,
        "audience": 3,
        "read": 1,
        "share": round(1 / 3, 4),
    }
    assert by_ward[OTHER_WARD]["audience"] == 2 and by_ward[OTHER_WARD]["read"] == 0
    listed = api.get("/api/v1/broadcasts").get_json()["items"]
    assert [(b["id"], b["wards"], b["audience"], b["read"]) for b in listed] == [
        (data["id"], 126, 129, 1)
    ]
    # One notice.published per ward, tied to the broadcast, with nobody's name in it.
    published = events_of(app, "notice.published")
    assert sorted(e.ward_code for e in published) == codes
    assert {e.data["broadcast_id"] for e in published} == {data["id"]}
    assert all("author" not in json.dumps(e.data) for e in published)
    assert set(published[0].data) == {
        "id",
        "ward",
        "title",
        "category",
        "priority",
        "published_at",
        "expires_at",
        "broadcast_id",
        "department",
    }


def test_chosen_wards_by_code_or_slug_collapse_and_only_they_receive(app, api, people, others):
    """A code and the same ward's slug are one ward; a ward not chosen gets nothing."""
    grant(app, people[0], "city_admin")
    follow(api, people[2], WARD)
    follow(api, others[2], OTHER_WARD)
    api.login(people[0])
    created = api.post("/api/v1/notices", json=broadcast_body(wards=[WARD, "hoan-kiem", WARD]))
    assert created.status_code == 201, created.get_json()
    data = created.get_json()
    assert data["wards"] == 1 and [n["ward"] for n in data["notices"]] == [WARD]
    assert "Diễn tập phòng cháy chữa cháy" in feed_titles(api, people[2])
    assert "Diễn tập phòng cháy chữa cháy" not in feed_titles(api, others[2])
    with app.app_context():
        notice = db.session.get(Notice, data["notices"][0]["id"])
        assert notice.broadcast_id == data["id"]


def test_department_staff_send_in_their_department_name(app, api, people, others, departments):
    """A department's staff send as the department, which residents see as the sender."""
    api.login(people[4])
    grant_department(app, people[4], "department_editor", "SKHCN")
    follow(api, others[2], OTHER_WARD)
    api.login(people[4])
    missing = api.post("/api/v1/notices", json=broadcast_body())
    assert missing.status_code == 422
    assert "department" in missing.get_json()["error"]["details"]["fields"]
    other = api.post("/api/v1/notices", json=broadcast_body(department="SCT"))
    assert other.status_code == 403
    unknown = api.post("/api/v1/notices", json=broadcast_body(department="XYZ"))
    assert unknown.status_code == 422
    created = api.post("/api/v1/notices", json=broadcast_body(department="SKHCN"))
    assert created.status_code == 201, created.get_json()
    sent = created.get_json()
    assert sent["department"]["name"] == "Sở Khoa học và Công nghệ"
    # One ward alone is today's notice, sent in the department's name.
    single = api.post(
        "/api/v1/notices", json=broadcast_body(wards=None, ward=WARD, department="SKHCN")
    )
    assert single.status_code == 201, single.get_json()
    assert single.get_json()["department"]["code"] == "SKHCN"
    assert "notices" not in single.get_json()

    api.login(others[2])
    item = next(
        n for n in api.get("/api/v1/me/feed").get_json()["items"] if n["broadcast_id"] == sent["id"]
    )
    assert item["department"] == {
        "code": "SKHCN",
        "name": "Sở Khoa học và Công nghệ",
        "short_name": "Sở KH&CN",
    }
    # The department's staff list and read their department's broadcasts; others do not.
    api.login(people[5])
    grant_department(app, people[5], "department_admin", "SKHCN")
    assert [b["id"] for b in api.get("/api/v1/broadcasts").get_json()["items"]] == [sent["id"]]
    assert api.get(f"/api/v1/broadcasts/{sent['id']}").status_code == 200
    api.login(people[6])
    assert api.get("/api/v1/broadcasts").get_json()["items"] == []
    assert api.get(f"/api/v1/broadcasts/{sent['id']}").status_code == 404


def test_refusals(app, api, people, staff, departments):
    """Residents, ward staff beyond their ward, unknown wards, ward and wards together."""
    api.login(people[3])
    assert api.post("/api/v1/notices", json=broadcast_body()).status_code == 403
    api.login(staff)  # staff of WARD only
    refused = api.post("/api/v1/notices", json=broadcast_body())
    assert refused.status_code == 403
    assert "Giảng Võ" in refused.get_json()["error"]["message"]
    unknown = api.post("/api/v1/notices", json=broadcast_body(wards=[WARD, "99999", "khong-co"]))
    assert unknown.status_code == 422
    assert "99999, khong-co" in unknown.get_json()["error"]["message"]
    both = api.post("/api/v1/notices", json=broadcast_body(ward=WARD))
    assert both.status_code == 422
    neither = api.post("/api/v1/notices", json=broadcast_body(wards=None))
    assert neither.status_code == 422
    for bad in ([], "some", [1, 2], [""]):
        assert api.post("/api/v1/notices", json=broadcast_body(wards=bad)).status_code == 422
    with_groups = api.post("/api/v1/notices", json=broadcast_body(community_ids=[1]))
    assert with_groups.status_code == 422
    draft = api.post("/api/v1/notices", json=broadcast_body(status="draft"))
    assert draft.status_code == 422
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(NoticeBroadcast)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Notice)) == 0


def test_api_client_publishes_within_its_wards_only(app, api, client, people):
    """A client with notices:write on two wards sends to them; a third ward is refused."""
    headers = client_token(app, scope="notices:write notices:read", wards=f"{WARD} {OTHER_WARD}")
    follow(api, people[2], WARD)
    api.logout()
    body = broadcast_body()
    created = client.post("/api/v1/notices", json=body, headers=headers)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["wards"] == 2
    single = client.post(
        "/api/v1/notices", json=broadcast_body(wards=None, ward=WARD), headers=headers
    )
    assert single.status_code == 201, single.get_json()
    beyond = client.post(
        "/api/v1/notices", json=broadcast_body(wards=[WARD, THIRD_WARD]), headers=headers
    )
    assert beyond.status_code == 403
    everywhere = client.post("/api/v1/notices", json=broadcast_body(wards="all"), headers=headers)
    assert everywhere.status_code == 403
    named = client.post("/api/v1/notices", json=broadcast_body(department="SKHCN"), headers=headers)
    assert named.status_code in (403, 422)
    read_only = client_token(app, scope="notices:read", wards="all")
    assert client.post("/api/v1/notices", json=body, headers=read_only).status_code == 403
    assert "Diễn tập phòng cháy chữa cháy" in feed_titles(api, people[2])


def test_double_tap_creates_one_broadcast(app, api, city_admin):
    """The same Idempotency-Key and body: the first answer again, nothing new."""
    api.login(city_admin)
    headers = {**api.headers, "Idempotency-Key": "broadcast-tap-0001"}
    first = api.client.post("/api/v1/notices", json=broadcast_body(), headers=headers)
    second = api.client.post("/api/v1/notices", json=broadcast_body(), headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.get_json() == second.get_json()
    assert second.headers.get("Idempotent-Replayed") == "true"
    other = api.client.post(
        "/api/v1/notices", json=broadcast_body(title="Khác hẳn"), headers=headers
    )
    assert other.status_code == 422
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(NoticeBroadcast)) == 1
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Notice)) == 2


def test_scheduled_broadcast_is_delivered_when_due_and_announced_once(
    app, api, people, others, city_admin
):
    """Scheduled: in no feed before its time; the worker (twice) delivers it, one event a ward."""
    follow(api, people[2], WARD)
    follow(api, others[2], OTHER_WARD)
    api.login(city_admin)
    at = datetime.now(UTC) + timedelta(hours=2)
    created = api.post("/api/v1/notices", json=broadcast_body(publish_at=at.isoformat()))
    assert created.status_code == 201, created.get_json()
    sent = created.get_json()
    assert sent["status_label"] == "Hẹn giờ đăng"
    assert "Diễn tập phòng cháy chữa cháy" not in feed_titles(api, people[2])
    assert events_of(app, "notice.published") == []
    with time_machine.travel(at + timedelta(minutes=1), tick=True):
        # Two workers at once: each notice is delivered (and announced) by one of them.
        assert sum(two_workers(app, notice_jobs.deliver_due_notices)) == 2
        with app.app_context():
            assert notice_jobs.deliver_due_notices() == 0
        assert "Diễn tập phòng cháy chữa cháy" in feed_titles(api, people[2])
        assert "Diễn tập phòng cháy chữa cháy" in feed_titles(api, others[2])
        api.login(city_admin)
        reach = api.get(f"/api/v1/broadcasts/{sent['id']}").get_json()
    assert (reach["delivered"], reach["audience"]) == (2, 2)
    assert sorted(e.ward_code for e in events_of(app, "notice.published")) == sorted(
        [WARD, OTHER_WARD]
    )


def test_withdrawing_a_broadcast_takes_it_out_of_every_ward(app, api, people, others, city_admin):
    """Withdrawn: out of every feed, reach kept, one notice.withdrawn a ward; twice is harmless."""
    follow(api, people[2], WARD)
    follow(api, others[2], OTHER_WARD)
    api.login(city_admin)
    sent = api.post("/api/v1/notices", json=broadcast_body()).get_json()
    api.login(people[3])
    assert api.post(f"/api/v1/broadcasts/{sent['id']}/withdraw").status_code == 404
    api.login(city_admin)
    for _ in range(2):
        withdrawn = api.post(f"/api/v1/broadcasts/{sent['id']}/withdraw")
        assert withdrawn.status_code == 200
    assert withdrawn.get_json()["status"] == "withdrawn"
    assert withdrawn.get_json()["audience"] == 2
    assert "Diễn tập phòng cháy chữa cháy" not in feed_titles(api, people[2])
    assert "Diễn tập phòng cháy chữa cháy" not in feed_titles(api, others[2])
    assert sorted(e.ward_code for e in events_of(app, "notice.withdrawn")) == sorted(
        [WARD, OTHER_WARD]
    )


def test_community_notices_are_not_announced(app, api, people, staff, make_community, join):
    """A community's notice is for its members: no event tells outside systems of it."""
    community = make_community()
    join(people[3], community)
    api.login(staff)
    body = broadcast_body(wards=None, ward=WARD, community_ids=[community["id"]])
    assert api.post("/api/v1/notices", json=body).status_code == 201
    assert events_of(app, "notice.published") == []


def poll_body(**overrides) -> dict:
    body = {
        "title": "Chọn ngày tổ chức hội chợ",
        "kind": "vote",
        "ward": WARD,
        "questions": [{"text": "Ngày nào?", "options": ["Thứ Bảy", "Chủ nhật"]}],
        "results_visibility": "after_close",
    }
    body.update(overrides)
    return body


@pytest.mark.parametrize("secret", [False, True])
def test_poll_closed_is_announced_once_with_public_results(app, api, people, staff, secret):
    """Closed by its time, two workers: one poll.closed; results unless the ballot is secret."""
    follow(api, people[2], WARD)
    api.login(staff)
    closes = datetime.now(UTC) + timedelta(hours=1)
    poll = api.post(
        "/api/v1/polls", json=poll_body(secret=secret, closes_at=closes.isoformat())
    ).get_json()
    assert api.post(f"/api/v1/polls/{poll['id']}/open").status_code == 200
    opened = events_of(app, "poll.opened")
    assert [e.data["id"] for e in opened] == [poll["id"]]
    api.login(people[2])
    option = poll["questions"][0]["options"][1]["id"]
    ballot = {"answers": [{"question": poll["questions"][0]["id"], "options": [option]}]}
    assert api.post(f"/api/v1/polls/{poll['id']}/ballots", json=ballot).status_code == 201
    assert events_of(app, "poll.closed") == []
    with time_machine.travel(closes + timedelta(minutes=1), tick=True):
        assert two_workers(app, poll_jobs.advance_due_polls) == [0, 1]
        with app.app_context():
            assert poll_jobs.advance_due_polls() == 0
    closed = events_of(app, "poll.closed")
    assert len(closed) == 1
    data = closed[0].data
    assert (data["id"], data["ward"], data["turnout"], data["eligible"]) == (
        poll["id"],
        WARD,
        1,
        1,
    )
    text = json.dumps(data, ensure_ascii=False)
    assert people[2] not in text and "receipt" not in text
    if secret:
        assert "questions" not in data
    else:
        counts = {o["text"]: o["count"] for o in data["questions"][0]["options"]}
        assert counts == {"Thứ Bảy": 0, "Chủ nhật": 1}


def test_poll_closed_by_hand_is_announced_once(app, api, staff):
    """A manager's close announces it; a second close is refused and announces nothing."""
    api.login(staff)
    poll = api.post("/api/v1/polls", json=poll_body()).get_json()
    assert api.post(f"/api/v1/polls/{poll['id']}/open").status_code == 200
    assert api.post(f"/api/v1/polls/{poll['id']}/close", json={}).status_code == 200
    assert api.post(f"/api/v1/polls/{poll['id']}/close", json={}).status_code == 409
    assert [e.data["id"] for e in events_of(app, "poll.closed")] == [poll["id"]]
