"""The feed: what reaches whom, its order, keyset pages, unread count and delivery."""

from datetime import UTC, datetime, timedelta

from app.extensions import db
from tests.community.conftest import OTHER_WARD, WARD
from tests.community.test_notices import notice


def ids(response) -> list[int]:
    """Return the notice ids of a feed page."""
    return [n["id"] for n in response.get_json()["items"]]


def test_feed_reaches_followers_and_members_only(api, app, people, staff, make_community, join):
    """Ward-wide notices reach followers; community notices reach that community's members."""
    from tests.conftest import grant

    a = make_community()
    b = make_community()
    join(people[3], a)
    join(people[4], b)
    api.login(people[5])
    api.post(f"/api/v1/wards/{WARD}/follow")
    api.login(staff)
    ward_wide = api.post("/api/v1/notices", json=notice(title="Toàn phường")).get_json()["id"]
    to_a = api.post("/api/v1/notices", json=notice(community_ids=[a["id"]])).get_json()["id"]
    to_b = api.post("/api/v1/notices", json=notice(community_ids=[b["id"]])).get_json()["id"]
    grant(app, people[1], "ward_admin", ward=OTHER_WARD)
    api.login(people[1])
    api.post("/api/v1/notices", json=notice(ward=OTHER_WARD))

    api.login(people[3])
    assert sorted(ids(api.get("/api/v1/me/feed"))) == sorted([ward_wide, to_a])
    api.login(people[4])
    assert sorted(ids(api.get("/api/v1/me/feed"))) == sorted([ward_wide, to_b])
    api.login(people[5])
    assert ids(api.get("/api/v1/me/feed")) == [ward_wide]
    api.login(people[6])
    assert ids(api.get("/api/v1/me/feed")) == []
    api.logout()
    assert api.get("/api/v1/me/feed").status_code == 401


def test_feed_order_pinned_then_urgent_then_newest(api, people, staff):
    """Pinned first, then urgent, then the newest."""
    api.login(people[3])
    api.post(f"/api/v1/wards/{WARD}/follow")
    api.login(staff)
    made = {}
    for key, extra in [
        ("old", {}),
        ("urgent", {"priority": "urgent"}),
        ("pinned", {"pinned": True}),
        ("new", {}),
        ("pinned_urgent", {"pinned": True, "priority": "urgent"}),
    ]:
        made[key] = api.post("/api/v1/notices", json=notice(title=key, **extra)).get_json()["id"]
    api.login(people[3])
    order = ["pinned_urgent", "pinned", "urgent", "new", "old"]
    assert ids(api.get("/api/v1/me/feed")) == [made[k] for k in order]


def test_feed_pages_walk_every_item_exactly_once(app, api, people, staff):
    """Keyset pages over mixed pinned/urgent notices, including equal publication times."""
    import community.notices.service as notices
    from app.identity import service as identity
    from community.notices.models import NoticeRecipient

    api.login(people[3])
    api.post(f"/api/v1/wards/{WARD}/follow")
    reader_id = api.me["id"]
    api.login(staff)
    same_moment = datetime.now(UTC) - timedelta(hours=1)
    with app.app_context():
        author = identity.find_by_sub(staff)[0]
        for i in range(23):
            notices.create(
                author=author,
                ward_code=WARD,
                title=f"Thông báo {i}",
                body="Nội dung",
                category="khac",
                priority="urgent" if i % 5 == 0 else "normal",
                pinned=i % 7 == 0,
                status="published",
                community_ids=[],
                publish_at=None,
                expires_at=None,
                # Groups of equal times: the id breaks the tie.
                backdate=same_moment - timedelta(minutes=i // 4),
            )
        db.session.commit()
        expected = sorted(
            db.session.scalars(
                db.select(NoticeRecipient).where(NoticeRecipient.user_id == reader_id)
            ),
            key=lambda r: (r.pinned, r.urgent, r.published_at, r.notice_id),
            reverse=True,
        )
        expected = [r.notice_id for r in expected]

    api.login(people[3])
    seen, cursor, pages = [], None, 0
    while True:
        url = "/api/v1/me/feed?limit=5" + (f"&cursor={cursor}" if cursor else "")
        body = api.get(url).get_json()
        seen += [n["id"] for n in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(expected) == 23
    assert seen == expected
    assert pages == 5
    assert api.get("/api/v1/me/feed?cursor=bm9wZQ").status_code == 422
    assert api.get("/api/v1/me/feed?limit=201").status_code == 422


def test_unread_count_and_delivery(api, people, staff, make_community, join):
    """Unread counts live unread notices; a notice counts as delivered once the app showed it.

    Reading the feed or a notice writes nothing: the app reports what it showed with
    POST /api/v1/me/feed/seen (and reading a notice delivers it too).
    """
    community = make_community()
    join(people[3], community)
    join(people[4], community)
    api.login(staff)
    sent = [
        api.post("/api/v1/notices", json=notice(community_ids=[community["id"]])).get_json()["id"]
        for _ in range(3)
    ]
    assert api.get(f"/api/v1/notices/{sent[0]}/stats").get_json()["delivered"] == 0

    api.login(people[3])
    assert api.get("/api/v1/me/feed/unread-count").get_json() == {"unread_count": 3}
    page = api.get("/api/v1/me/feed").get_json()["items"]
    assert [n["read"] for n in page] == [False, False, False]
    api.login(staff)
    assert api.get(f"/api/v1/notices/{sent[0]}/stats").get_json()["delivered"] == 0
    api.login(people[3])
    seen = api.post("/api/v1/me/feed/seen", json={"notice_ids": [n["id"] for n in page]})
    assert seen.status_code == 204
    api.post(f"/api/v1/notices/{sent[0]}/read")
    assert api.get("/api/v1/me/feed/unread-count").get_json() == {"unread_count": 2}
    page = {n["id"]: n["read"] for n in api.get("/api/v1/me/feed").get_json()["items"]}
    assert page[sent[0]] is True

    api.login(staff)
    stats = api.get(f"/api/v1/notices/{sent[0]}/stats").get_json()
    assert (stats["audience"], stats["delivered"], stats["read"]) == (2, 1, 1)

    api.login(people[4])  # opening the notice is a read: it records nothing
    assert api.get(f"/api/v1/notices/{sent[1]}").status_code == 200
    api.login(staff)
    stats = api.get(f"/api/v1/notices/{sent[1]}/stats").get_json()
    assert (stats["audience"], stats["delivered"], stats["read"]) == (2, 1, 0)
    api.login(people[4])
    assert api.post("/api/v1/me/feed/seen", json={"notice_ids": [sent[1]]}).status_code == 204
    assert api.post("/api/v1/me/feed/seen", json={"notice_ids": [sent[1]]}).status_code == 204
    api.login(staff)
    stats = api.get(f"/api/v1/notices/{sent[1]}/stats").get_json()
    assert (stats["audience"], stats["delivered"], stats["read"]) == (2, 2, 0)


def test_new_member_finds_recent_notices_without_joining_the_audience(
    api, people, staff, make_community, join
):
    """Joining brings the community's recent notices into the feed; the stats do not change."""
    community = make_community()
    join(people[3], community)
    api.login(staff)
    sent = api.post("/api/v1/notices", json=notice(community_ids=[community["id"]])).get_json()
    join(people[4], community)
    assert ids(api.get("/api/v1/me/feed")) == [sent["id"]]
    api.post(f"/api/v1/notices/{sent['id']}/read")
    api.login(staff)
    stats = api.get(f"/api/v1/notices/{sent['id']}/stats").get_json()
    assert (stats["audience"], stats["delivered"], stats["read"]) == (1, 0, 0)


def test_residents_search_and_filter_their_feed(api, people, staff):
    """`q` finds words of the title or body with or without diacritics; `category` narrows."""
    api.login(people[5])
    api.post(f"/api/v1/wards/{WARD}/follow")
    api.login(staff)
    water = api.post(
        "/api/v1/notices",
        json=notice(
            title="Lịch cắt nước",
            body="Đường Hàng Bạc cắt nước sáng thứ Bảy.",
            category="thong_tin_co_so",
        ),
    ).get_json()["id"]
    vaccine = api.post(
        "/api/v1/notices",
        json=notice(title="Tiêm chủng", body="Tiêm vắc-xin tại trạm y tế.", category="y_te"),
    ).get_json()["id"]

    api.login(people[5])
    assert ids(api.get("/api/v1/me/feed?q=cat nuoc")) == [water]
    assert ids(api.get("/api/v1/me/feed?q=Hàng Bạc")) == [water]
    assert ids(api.get("/api/v1/me/feed?q=tram%20y%20te")) == [vaccine]
    assert ids(api.get("/api/v1/me/feed?q=100%25")) == []
    assert ids(api.get("/api/v1/me/feed?category=y_te")) == [vaccine]
    assert ids(api.get("/api/v1/me/feed?category=y_te&q=nuoc")) == []
    assert sorted(ids(api.get("/api/v1/me/feed?q="))) == sorted([water, vaccine])
    refused = api.get("/api/v1/me/feed?category=khong_co")
    assert refused.status_code == 422
    assert "Lĩnh vực" in refused.get_json()["error"]["message"]
