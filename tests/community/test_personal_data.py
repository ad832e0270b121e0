"""Personal data: export of memberships, households, follows and reads; erasure keeps counts."""

from tests.community.conftest import WARD
from tests.community.test_notices import notice


def test_export_lists_memberships_households_follows_and_reads(
    api, people, staff, make_community, join
):
    """GET /api/v1/me/data carries the community records of the caller."""
    community = make_community("Tổ dân phố số 8")
    join(people[3], community)
    api.put(f"/api/v1/communities/{community['id']}/membership", json={"household": "HK-7"})
    api.login(staff)
    sent = api.post("/api/v1/notices", json=notice(community_ids=[community["id"]])).get_json()
    api.login(people[3])
    api.post(f"/api/v1/notices/{sent['id']}/read")

    data = api.get("/api/v1/me/data").get_json()
    (membership,) = data["community_memberships"]
    assert membership["community"] == "Tổ dân phố số 8"
    assert membership["household"] == "HK-7"
    assert membership["joined_at"].endswith("+07:00")
    assert data["followed_wards"] == [WARD]
    assert [r["notice_id"] for r in data["notice_reads"]] == [sent["id"]]
    assert data["notice_reads"][0]["read_at"].endswith("+07:00")


def test_erasure_removes_membership_but_reads_still_count(api, people, staff, make_community, join):
    """After erasure the person is no member nor follower; the notice's reach is unchanged."""
    community = make_community()
    join(people[3], community)
    join(people[4], community)
    api.login(staff)
    sent = api.post("/api/v1/notices", json=notice(community_ids=[community["id"]])).get_json()
    api.login(people[3])
    api.post(f"/api/v1/notices/{sent['id']}/read")
    assert api.delete("/api/v1/me").status_code == 204

    api.login(staff)
    shown = api.get(f"/api/v1/communities/{community['id']}").get_json()
    assert shown["member_count"] == 1
    stats = api.get(f"/api/v1/notices/{sent['id']}/stats").get_json()
    assert (stats["audience"], stats["read"]) == (2, 1)

    api.login(people[3])  # signing in again starts afresh
    data = api.get("/api/v1/me/data").get_json()
    assert data["community_memberships"] == [] and data["followed_wards"] == []
    assert api.get("/api/v1/me/feed").get_json()["items"] == []
