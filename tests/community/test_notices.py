"""Notices: who may publish where, validation, visibility, read receipts, stats, withdrawal."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from tests.community.conftest import OTHER_WARD, WARD
from tests.conftest import grant

CATEGORY_LABELS = {
    "thong_tin_co_so": "Thông tin cơ sở",
    "an_ninh_trat_tu": "An ninh trật tự",
    "y_te": "Y tế",
    "giao_duc": "Giáo dục",
    "moi_truong": "Môi trường",
    "phong_chong_thien_tai": "Phòng chống thiên tai",
    "van_hoa": "Văn hóa",
    "phap_luat": "Pháp luật",
    "khac": "Khác",
}


def notice(**overrides) -> dict:
    """A valid notice body (ward-wide) with overrides."""
    body = {
        "title": "Lịch tiêm chủng",
        "body": "Tiêm chủng sáng thứ Bảy tại trạm y tế.",
        "ward": WARD,
        "category": "y_te",
    }
    body.update(overrides)
    return body


@pytest.fixture
def publish(api):
    """Publish a notice as `sub`; returns its JSON."""

    def do(sub: str, **overrides) -> dict:
        api.login(sub)
        response = api.post("/api/v1/notices", json=notice(**overrides))
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return do


def test_categories_have_vietnamese_labels(api):
    """The category list gives every contract code with its label."""
    items = api.get("/api/v1/notice-categories").get_json()["items"]
    assert {i["code"]: i["label"] for i in items} == CATEGORY_LABELS


def test_staff_publish_ward_wide_body_is_stored_as_given(api, staff):
    """Staff publish ward-wide; the body comes back exactly as sent, as text."""
    api.login(staff)
    text = "Xem <b>chi tiết</b> <script>alert(1)</script> tại https://hanoi.gov.vn\nDòng 2"
    created = api.post("/api/v1/notices", json=notice(body=text, priority="urgent", pinned=True))
    assert created.status_code == 201
    data = created.get_json()
    assert isinstance(data["id"], int)
    assert data["category"] == {"code": "y_te", "label": "Y tế"}
    assert data["status"] == "published" and data["community_ids"] == []
    fetched = api.get(f"/api/v1/notices/{data['id']}")
    assert fetched.mimetype == "application/json"
    assert fetched.get_json()["body"] == text
    assert fetched.get_json()["priority"] == "urgent" and fetched.get_json()["pinned"] is True
    assert fetched.get_json()["published_at"].endswith("+07:00")


def test_leader_publishes_only_to_their_community(api, people, make_community, appoint):
    """A leader may address their own community, never ward-wide nor another community."""
    mine = make_community()
    other = make_community()
    appoint(people[2], mine)
    api.login(people[2])
    assert api.post("/api/v1/notices", json=notice()).status_code == 403
    assert api.post("/api/v1/notices", json=notice(community_ids=[other["id"]])).status_code == 403
    both = notice(community_ids=[mine["id"], other["id"]])
    assert api.post("/api/v1/notices", json=both).status_code == 403
    assert api.post("/api/v1/notices", json=notice(community_ids=[mine["id"]])).status_code == 201


def test_who_may_not_publish(api, app, people, others, staff, make_community):
    """Residents, visitors and other wards' staff cannot publish; foreign communities are 422."""
    assert api.post("/api/v1/notices", json=notice()).status_code == 401
    api.login(people[3])
    assert api.post("/api/v1/notices", json=notice()).status_code == 403
    grant(app, others[0], "ward_admin", ward=OTHER_WARD)
    api.login(others[0])
    assert api.post("/api/v1/notices", json=notice()).status_code == 403
    theirs = api.post(
        f"/api/v1/wards/{OTHER_WARD}/communities", json={"name": "Tổ 1", "kind": "to_dan_pho"}
    ).get_json()
    api.login(staff)
    foreign = api.post("/api/v1/notices", json=notice(community_ids=[theirs["id"]]))
    assert foreign.status_code == 422
    assert foreign.get_json()["error"]["code"] == "community_not_in_ward"
    missing = api.post("/api/v1/notices", json=notice(community_ids=[987654]))
    assert missing.status_code == 422


@pytest.mark.parametrize(
    "overrides",
    [
        {"title": "x" * 201},
        {"title": ""},
        {"body": ""},
        {"body": "x" * 10_001},
        {"body": "nul\x00byte"},
        {"category": "tin_tuc"},
        {"priority": "high"},
        {"publish_at": "2030-01-01T08:00:00"},  # no offset
        {"expires_at": "2020-01-01T08:00:00+07:00"},  # already past
        {"community_ids": ["1"]},
        {"community_ids": [99999999999]},
        {"status": "withdrawn"},
        {"html": True},
    ],
)
def test_invalid_notices_are_422(api, staff, overrides):
    """Lengths, codes, time zones, ids and unknown fields are checked."""
    api.login(staff)
    response = api.post("/api/v1/notices", json=notice(**overrides))
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["error"]["code"] in ("validation_error",)


def test_expiry_must_follow_a_scheduled_publication(api, staff):
    """expires_at before publish_at is refused."""
    api.login(staff)
    later = datetime.now(UTC) + timedelta(days=3)
    body = notice(publish_at=later.isoformat(), expires_at=(later - timedelta(days=1)).isoformat())
    assert api.post("/api/v1/notices", json=body).status_code == 422


def test_community_notice_hidden_like_a_missing_one(
    api, people, make_community, appoint, join, publish
):
    """A non-member gets the same 404 for a community notice as for a missing id."""
    community = make_community()
    appoint(people[2], community)
    join(people[3], community)
    sent = publish(people[2], community_ids=[community["id"]])

    api.login(people[3])
    assert api.get(f"/api/v1/notices/{sent['id']}").status_code == 200
    api.login(people[4])
    hidden = api.get(f"/api/v1/notices/{sent['id']}")
    missing = api.get("/api/v1/notices/999999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.get_json() == missing.get_json()
    assert api.post(f"/api/v1/notices/{sent['id']}/read").get_json() == missing.get_json()
    assert api.get(f"/api/v1/notices/{sent['id']}/stats").get_json() == missing.get_json()
    api.logout()
    assert api.get(f"/api/v1/notices/{sent['id']}").get_json() == missing.get_json()


def test_ward_wide_notice_is_public(api, staff, publish):
    """Anyone, even signed out, can read a live ward-wide notice."""
    sent = publish(staff)
    api.logout()
    assert api.get(f"/api/v1/notices/{sent['id']}").status_code == 200


def test_stats_count_the_audience_at_publication_exactly(
    api, people, staff, make_community, appoint, join, publish
):
    """Audience = distinct members of the chosen communities minus the author; reads counted
    once; later joiners and outsiders never change the numbers."""
    a = make_community()
    b = make_community()
    appoint(people[2], a)  # the author: not counted
    join(people[3], a)
    join(people[4], a)
    join(people[4], b)  # in both: counted once
    join(people[5], b)
    join(people[6], b)
    api.login(staff)
    sent = api.post("/api/v1/notices", json=notice(community_ids=[a["id"], b["id"]])).get_json()
    nid = sent["id"]

    for reader in (people[3], people[4]):
        api.login(reader)
        for _ in range(2):  # idempotent
            assert api.post(f"/api/v1/notices/{nid}/read").status_code == 200
        assert api.get(f"/api/v1/notices/{nid}").get_json()["read"] is True
    join(people[7], a)  # joins after publication
    api.post(f"/api/v1/notices/{nid}/read")

    api.login(staff)
    stats = api.get(f"/api/v1/notices/{nid}/stats").get_json()
    # a: leader 2 + members 3, 4; b: 4, 5, 6. Author is staff (not a member): audience 5.
    assert stats["audience"] == 5
    assert stats["read"] == 2
    assert stats["read_share"] == pytest.approx(0.4)
    by = {c["community_id"]: c for c in stats["by_community"]}
    assert (by[a["id"]]["audience"], by[a["id"]]["read"]) == (3, 2)
    assert (by[b["id"]]["audience"], by[b["id"]]["read"]) == (3, 1)

    # The leader's own notice to their community does not count the leader.
    own = publish(people[2], community_ids=[a["id"]])
    api.login(people[2])
    own_stats = api.get(f"/api/v1/notices/{own['id']}/stats").get_json()
    assert own_stats["audience"] == 3  # members 3, 4 and the late joiner 7
    assert own_stats["read"] == 0 and own_stats["read_share"] == 0


def test_ward_wide_audience_is_the_followers(api, people, staff, publish):
    """A ward-wide notice reaches the ward's followers, not its author."""
    for sub in (people[3], people[4], staff):
        api.login(sub)
        api.post(f"/api/v1/wards/{WARD}/follow")
    sent = publish(staff)
    api.login(people[3])
    api.post(f"/api/v1/notices/{sent['id']}/read")
    api.login(staff)
    stats = api.get(f"/api/v1/notices/{sent['id']}/stats").get_json()
    assert (stats["audience"], stats["read"], stats["by_community"]) == (2, 1, [])
    assert stats["read_share"] == pytest.approx(0.5)


def test_stats_for_staff_and_author_only(
    api, app, people, others, make_community, appoint, join, publish
):
    """Members may read the notice but not its stats; the author and ward staff may."""
    community = make_community()
    appoint(people[2], community)
    join(people[3], community)
    sent = publish(people[2], community_ids=[community["id"]])
    url = f"/api/v1/notices/{sent['id']}/stats"
    api.login(people[3])
    assert api.get(url).status_code == 403
    api.login(people[2])
    assert api.get(url).status_code == 200
    grant(app, people[1], "ward_editor", ward=WARD)
    api.login(people[1])
    assert api.get(url).status_code == 200
    grant(app, others[0], "ward_admin", ward=OTHER_WARD)
    api.login(others[0])
    assert api.get(url).status_code == 404


def test_withdraw(api, people, staff, make_community, join, publish):
    """Staff or the author withdraw; residents then get 404 and their feeds drop it."""
    community = make_community()
    join(people[3], community)
    sent = publish(staff, community_ids=[community["id"]])
    api.login(people[3])
    assert [n["id"] for n in api.get("/api/v1/me/feed").get_json()["items"]] == [sent["id"]]
    api.post(f"/api/v1/notices/{sent['id']}/read")
    assert api.post(f"/api/v1/notices/{sent['id']}/withdraw").status_code == 403

    api.login(staff)
    withdrawn = api.post(f"/api/v1/notices/{sent['id']}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.get_json()["status"] == "withdrawn"
    assert api.post(f"/api/v1/notices/{sent['id']}/withdraw").status_code == 200
    stats = api.get(f"/api/v1/notices/{sent['id']}/stats").get_json()
    assert (stats["audience"], stats["read"]) == (1, 1)

    api.login(people[3])
    assert api.get(f"/api/v1/notices/{sent['id']}").status_code == 404
    assert api.get("/api/v1/me/feed").get_json()["items"] == []


def test_draft_then_publish(api, people, staff, make_community, join):
    """A draft is invisible to residents until published."""
    community = make_community()
    join(people[3], community)
    api.login(staff)
    draft = api.post(
        "/api/v1/notices", json=notice(status="draft", community_ids=[community["id"]])
    ).get_json()
    assert draft["status"] == "draft" and draft["published_at"] is None
    api.login(people[3])
    assert api.get(f"/api/v1/notices/{draft['id']}").status_code == 404
    assert api.post(f"/api/v1/notices/{draft['id']}/publish").status_code == 404
    api.login(staff)
    published = api.post(f"/api/v1/notices/{draft['id']}/publish")
    assert published.status_code == 200 and published.get_json()["status"] == "published"
    assert api.post(f"/api/v1/notices/{draft['id']}/publish").status_code == 422
    api.login(people[3])
    assert api.get(f"/api/v1/notices/{draft['id']}").status_code == 200


def test_scheduled_notice_is_delivered_when_due(app, api, people, staff, make_community, join):
    """A scheduled notice stays out of sight until publish_at, then shows even before the
    worker runs; the worker's delivery fixes its audience as it is at publication."""
    community = make_community()
    join(people[3], community)
    api.login(staff)
    at = datetime.now(UTC) + timedelta(days=1)
    sent = api.post(
        "/api/v1/notices",
        json=notice(community_ids=[community["id"]], publish_at=at.isoformat()),
    ).get_json()
    assert api.get(f"/api/v1/notices/{sent['id']}/stats").get_json()["audience"] == 0
    # Staff read its state from the API, not from a rule of their own.
    assert sent["status"] == "published" and sent["status_label"] == "Hẹn giờ đăng"
    api.login(people[3])
    assert api.get(f"/api/v1/notices/{sent['id']}").status_code == 404
    assert api.get("/api/v1/me/feed").get_json()["items"] == []
    join(people[4], community)  # joins before publication: part of the audience

    with time_machine.travel(datetime.now(UTC) + timedelta(days=2), tick=True):
        api.login(people[3])
        assert [n["id"] for n in api.get("/api/v1/me/feed").get_json()["items"]] == [sent["id"]]
        result = app.test_cli_runner().invoke(args=["notices", "deliver-due"])
        assert result.output.strip() == "delivered 1 notice(s)"
        api.login(staff)
        assert api.get(f"/api/v1/notices/{sent['id']}/stats").get_json()["audience"] == 2
        assert api.get(f"/api/v1/notices/{sent['id']}").get_json()["status_label"] == "Đã đăng"
        api.login(people[4])
        assert [n["id"] for n in api.get("/api/v1/me/feed").get_json()["items"]] == [sent["id"]]
        result = app.test_cli_runner().invoke(args=["notices", "deliver-due"])
        assert result.output.strip() == "delivered 0 notice(s)"


def test_expired_notice_leaves_the_feed(api, people, staff):
    """After expires_at a notice is no longer shown."""
    api.login(people[3])
    api.post(f"/api/v1/wards/{WARD}/follow")
    api.login(staff)
    expires = datetime.now(UTC) + timedelta(days=1)
    api.post("/api/v1/notices", json=notice(expires_at=expires.isoformat()))
    api.login(people[3])
    assert len(api.get("/api/v1/me/feed").get_json()["items"]) == 1
    with time_machine.travel(expires + timedelta(seconds=1), tick=True):
        api.login(people[3])  # a day idle ends the browser session (SESSION_IDLE_TIMEOUT)
        assert api.get("/api/v1/me/feed").get_json()["items"] == []
        assert api.get("/api/v1/me/feed/unread-count").get_json()["unread_count"] == 0
