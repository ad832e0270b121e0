"""Communities: creation, invite codes, joining, members, leaders, households, follows."""

import pytest
import sqlalchemy as sa

from app.extensions import db
from tests.community.conftest import OTHER_WARD, WARD
from tests.conftest import grant


def test_staff_create_community_and_only_runners_see_the_invite_code(
    api, staff, people, make_community, appoint
):
    """Staff get 201 with id and invite code; residents and visitors never see the code."""
    created = make_community("Tổ dân phố số 5")
    assert created["kind"] == "to_dan_pho" and created["ward"] == WARD
    assert (created["kind_label"], created["leader_label"]) == ("Tổ dân phố", "tổ trưởng")
    assert len(created["invite_code"]) == 8
    assert created["join_url"].endswith(
        f"/w/hoan-kiem/join/{created['id']}?code={created['invite_code']}"
    )
    listed = api.get(f"/api/v1/wards/{WARD}/communities").get_json()["items"]
    assert [c["invite_code"] for c in listed] == [created["invite_code"]]

    api.login(people[3])
    seen = api.get(f"/api/v1/communities/{created['id']}").get_json()
    assert seen["name"] == "Tổ dân phố số 5"
    assert "invite_code" not in seen and "join_url" not in seen
    listed = api.get("/api/v1/wards/hoan-kiem/communities").get_json()["items"]
    assert len(listed) == 1 and "invite_code" not in listed[0]

    api.logout()
    assert "invite_code" not in api.get(f"/api/v1/communities/{created['id']}").get_json()

    appoint(people[2], created)
    api.login(people[2])
    assert (
        api.get(f"/api/v1/communities/{created['id']}").get_json()["invite_code"]
        == (created["invite_code"])
    )


def test_only_the_wards_staff_create_communities(api, app, people, others, staff):
    """Residents, other wards' staff and visitors cannot create; bad input is 422."""
    body = {"name": "Chi hội Phụ nữ", "kind": "chi_hoi"}
    assert api.post(f"/api/v1/wards/{WARD}/communities", json=body).status_code == 401
    api.login(people[3])
    assert api.post(f"/api/v1/wards/{WARD}/communities", json=body).status_code == 403
    grant(app, others[0], "ward_admin", ward=OTHER_WARD)
    api.login(others[0])
    assert api.post(f"/api/v1/wards/{WARD}/communities", json=body).status_code == 403
    api.login(staff)
    bad_kind = api.post(f"/api/v1/wards/{WARD}/communities", json={"name": "X y", "kind": "hoi"})
    assert bad_kind.status_code == 422
    extra = api.post(f"/api/v1/wards/{WARD}/communities", json={**body, "secret": 1})
    assert extra.status_code == 422
    assert api.post("/api/v1/wards/99999/communities", json=body).status_code == 404
    assert api.post(f"/api/v1/wards/{WARD}/communities", json=body).status_code == 201
    duplicate = api.post(f"/api/v1/wards/{WARD}/communities", json=body)
    assert duplicate.status_code == 409


def test_unsafe_requests_need_the_csrf_header(api, client, staff):
    """A cookie session without X-CSRF-Token cannot create anything."""
    api.login(staff)
    response = client.post(
        f"/api/v1/wards/{WARD}/communities", json={"name": "Tổ 1", "kind": "to_dan_pho"}
    )
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "csrf_failed"


def test_join_with_code_follows_the_ward_and_is_idempotent(api, people, make_community):
    """A wrong code is 403; the right one makes an active member who follows the ward."""
    community = make_community()
    url = f"/api/v1/communities/{community['id']}/join"
    api.login(people[3])
    wrong = api.post(url, json={"invite_code": "AAAAAAAA"})
    assert wrong.status_code == 403
    assert wrong.get_json()["error"]["code"] == "invalid_invite_code"
    assert api.get(f"/api/v1/wards/{WARD}/follow").get_json()["following"] is False

    for _ in range(2):
        joined = api.post(url, json={"invite_code": community["invite_code"].lower()})
        assert joined.status_code == 200
        assert joined.get_json()["status"] == "active"
    assert api.get(f"/api/v1/wards/{WARD}/follow").get_json()["following"] is True
    shown = api.get(f"/api/v1/communities/{community['id']}").get_json()
    assert shown["member_count"] == 1 and shown["my_status"] == "active"
    mine = api.get("/api/v1/me/communities").get_json()
    assert [m["community_id"] for m in mine["items"]] == [community["id"]]
    assert mine["items"][0]["community"] == {
        "id": community["id"],
        "name": community["name"],
        "kind": "to_dan_pho",
        "kind_label": "Tổ dân phố",
        "ward": WARD,
    }
    assert mine["followed_wards"] == [WARD]


def test_join_with_a_code_typed_from_a_phone_call(api, people, make_community):
    """A resident types only the code (any case, with a space or dash): they join its community."""
    make_community("Tổ dân phố số 1")
    community = make_community("Tổ dân phố số 2")
    code = community["invite_code"]
    api.login(people[3])

    wrong = api.post("/api/v1/communities/join", json={"invite_code": "ZZZZ-ZZZZ"})
    assert wrong.status_code == 403
    assert wrong.get_json()["error"]["details"]["errors"][0]["field"] == "invite_code"
    assert api.get("/api/v1/me/communities").get_json()["items"] == []

    typed = f"{code[:4].lower()} {code[4:]}"
    joined = api.post("/api/v1/communities/join", json={"invite_code": typed})

    assert joined.status_code == 200
    assert joined.get_json()["community_id"] == community["id"]
    assert joined.get_json()["status"] == "active"
    mine = api.get("/api/v1/me/communities").get_json()
    assert [m["community_id"] for m in mine["items"]] == [community["id"]]


def test_join_unknown_community_is_404(api, people):
    """Joining a community that does not exist (or an absurd id) is 404."""
    api.login(people[3])
    for cid in (12345, 99999999999):
        response = api.post(f"/api/v1/communities/{cid}/join", json={"invite_code": "ABC"})
        assert response.status_code == 404
    assert api.get("/api/v1/communities/99999999999").status_code == 404


def test_join_by_request_waits_for_approval(api, people, make_community, appoint):
    """Without a code a resident asks to join; the leader approves; before that, no access."""
    community = make_community()
    appoint(people[2], community)
    cid = community["id"]
    api.login(people[4])
    asked = api.post(f"/api/v1/communities/{cid}/join", json={})
    assert asked.status_code == 200 and asked.get_json()["status"] == "pending"
    assert api.get(f"/api/v1/communities/{cid}/members").status_code == 403
    me_id = api.me["id"]

    api.login(people[2])
    members = api.get(f"/api/v1/communities/{cid}/members").get_json()["items"]
    assert {(m["user_id"], m["status"]) for m in members} >= {(me_id, "pending")}
    approved = api.post(f"/api/v1/communities/{cid}/members/{me_id}/approve")
    assert approved.status_code == 200 and approved.get_json()["status"] == "active"

    api.login(people[4])
    assert api.get(f"/api/v1/communities/{cid}/members").status_code == 200
    assert api.get(f"/api/v1/wards/{WARD}/follow").get_json()["following"] is True


def test_member_list_members_see_names_leaders_see_roles(
    api, people, staff, make_community, join, appoint
):
    """Leaders and staff see everyone with roles; members see names only; others get 403."""
    community = make_community()
    cid = community["id"]
    appoint(people[2], community)
    appoint(people[5], community, deputy=True)
    join(people[3], community)
    join(people[4], community)

    api.login(people[3])
    names = api.get(f"/api/v1/communities/{cid}/members").get_json()["items"]
    assert len(names) == 4
    assert all(set(m) == {"name"} for m in names)

    for runner in (people[2], staff):
        api.login(runner)
        full = api.get(f"/api/v1/communities/{cid}/members").get_json()["items"]
        roles = sorted(m["role"] for m in full)
        assert roles == ["deputy", "leader", "member", "member"]
        assert all("household" in m and "user_id" in m for m in full)

    api.login(people[6])
    assert api.get(f"/api/v1/communities/{cid}/members").status_code == 403
    api.logout()
    assert api.get(f"/api/v1/communities/{cid}/members").status_code == 401

    shown = api.get(f"/api/v1/communities/{cid}").get_json()
    assert [leader["title"] for leader in shown["leaders"]] == ["leader", "deputy"]


def test_member_list_pages(api, people, staff, make_community, join):
    """The member list is paginated with an opaque cursor, each member once."""
    community = make_community()
    for sub in people[2:7]:
        join(sub, community)
    api.login(staff)
    seen, cursor = [], None
    while True:
        query = f"?limit=2&cursor={cursor}" if cursor else "?limit=2"
        body = api.get(f"/api/v1/communities/{community['id']}/members{query}").get_json()
        seen += [m["user_id"] for m in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert len(seen) == 5 == len(set(seen))
    bad = api.get(f"/api/v1/communities/{community['id']}/members?cursor=!!")
    assert bad.status_code == 422


def test_appointing_leaders_grants_the_role(api, app, people, others, staff, make_community):
    """Staff appoint by sub or user id; the leader gets community_leader; others may not."""
    community = make_community()
    cid = community["id"]
    api.login(people[3])
    target_id = api.me["id"]
    assert (
        api.post(f"/api/v1/communities/{cid}/leaders", json={"sub": people[2]}).status_code == 403
    )

    api.login(people[2])  # signs in once, so that staff can find them
    api.login(staff)
    by_sub = api.post(f"/api/v1/communities/{cid}/leaders", json={"sub": people[2]})
    assert by_sub.status_code == 201 and by_sub.get_json()["role"] == "leader"
    by_id = api.post(
        f"/api/v1/communities/{cid}/leaders", json={"user_id": target_id, "deputy": True}
    )
    assert by_id.status_code == 201 and by_id.get_json()["role"] == "deputy"
    both = api.post(f"/api/v1/communities/{cid}/leaders", json={"user_id": 1, "sub": "x"})
    assert both.status_code == 422
    assert api.post(f"/api/v1/communities/{cid}/leaders", json={"sub": "nobody"}).status_code == 404

    api.login(people[2])
    roles = api.me["roles"]
    assert {"role": "community_leader", "ward": WARD, "community_id": cid} in [
        {k: r[k] for k in ("role", "ward", "community_id")} for r in roles
    ]
    # A leader does not appoint leaders.
    assert (
        api.post(f"/api/v1/communities/{cid}/leaders", json={"sub": people[4]}).status_code == 403
    )

    # Another ward's admin cannot appoint here, nor through the roles API.
    grant(app, others[0], "ward_admin", ward=OTHER_WARD)
    api.login(others[0])
    assert (
        api.post(f"/api/v1/communities/{cid}/leaders", json={"sub": people[4]}).status_code == 403
    )
    roles_api = {"sub": people[4], "role": "community_leader", "community_id": cid}
    assert api.post("/api/v1/roles", json=roles_api).status_code == 403
    # The ward's own admin can, through the roles API (it asks us for the community's ward).
    api.login(people[4])
    api.login(staff)
    granted = api.post("/api/v1/roles", json=roles_api)
    assert granted.status_code == 201, granted.get_json()
    assert granted.get_json()[0]["ward"] == WARD
    missing = api.post("/api/v1/roles", json={**roles_api, "community_id": 424242})
    assert missing.status_code == 404

    dismissed = api.delete(f"/api/v1/communities/{cid}/leaders/{target_id}")
    assert dismissed.status_code == 204
    members = api.get(f"/api/v1/communities/{cid}/members").get_json()["items"]
    assert {m["user_id"]: m["role"] for m in members}[target_id] == "member"


def test_leader_adds_and_removes_members(api, people, staff, make_community, appoint, join):
    """A leader adds a signed-in resident by sub and removes members but not other leaders."""
    community = make_community()
    cid = community["id"]
    appoint(people[2], community)
    appoint(people[6], community, deputy=True)
    api.login(people[4])
    newcomer_id = api.me["id"]
    join(people[5], community)
    member_id = api.me["id"]
    assert (
        api.post(f"/api/v1/communities/{cid}/members", json={"sub": people[4]}).status_code == 403
    )

    api.login(people[2])
    added = api.post(f"/api/v1/communities/{cid}/members", json={"sub": people[4]})
    assert added.status_code == 201
    assert added.get_json()["user_id"] == newcomer_id and added.get_json()["role"] == "member"
    assert api.post(f"/api/v1/communities/{cid}/members", json={"sub": "nobody"}).status_code == 404
    deputy_id = next(
        m["user_id"]
        for m in api.get(f"/api/v1/communities/{cid}/members").get_json()["items"]
        if m["role"] == "deputy"
    )
    assert api.delete(f"/api/v1/communities/{cid}/members/{deputy_id}").status_code == 403
    assert api.delete(f"/api/v1/communities/{cid}/members/{member_id}").status_code == 204
    assert api.delete(f"/api/v1/communities/{cid}/members/{member_id}").status_code == 404

    api.login(people[4])
    assert api.get(f"/api/v1/wards/{WARD}/follow").get_json()["following"] is True
    api.login(people[5])
    assert api.get(f"/api/v1/communities/{cid}/membership").status_code == 404

    api.login(staff)
    assert api.delete(f"/api/v1/communities/{cid}/members/{deputy_id}").status_code == 204
    api.login(people[6])
    assert all(r["role"] != "community_leader" for r in api.me["roles"])


def test_leave_is_idempotent_and_updates_the_count(api, people, make_community, join):
    """A member leaves; leaving again is still 204; the member count follows."""
    community = make_community()
    join(people[3], community)
    url = f"/api/v1/communities/{community['id']}"
    assert api.get(url).get_json()["member_count"] == 1
    assert api.delete(f"{url}/membership").status_code == 204
    assert api.delete(f"{url}/membership").status_code == 204
    assert api.get(url).get_json()["member_count"] == 0
    assert api.get(f"{url}/membership").status_code == 404


def test_household_stated_by_member_confirmed_by_leader(api, people, make_community, join, appoint):
    """A member states a household; only a leader confirms it; restating resets confirmation."""
    community = make_community()
    cid = community["id"]
    appoint(people[2], community)
    api.login(people[6])
    assert (
        api.put(f"/api/v1/communities/{cid}/membership", json={"household": "H1"}).status_code
        == 404
    )
    join(people[3], community)
    member_id = api.me["id"]
    stated = api.put(f"/api/v1/communities/{cid}/membership", json={"household": "HK-0123"})
    assert stated.status_code == 200
    assert stated.get_json()["household"] == "HK-0123"
    assert stated.get_json()["household_confirmed"] is False
    confirm = f"/api/v1/communities/{cid}/members/{member_id}/confirm-household"
    assert api.post(confirm).status_code == 403
    bad = api.put(f"/api/v1/communities/{cid}/membership", json={"household": "x" * 41})
    assert bad.status_code == 422

    api.login(people[2])
    confirmed = api.post(confirm)
    assert confirmed.status_code == 200 and confirmed.get_json()["household_confirmed"] is True

    api.login(people[3])
    mine = api.get(f"/api/v1/communities/{cid}/membership").get_json()
    assert mine["household_confirmed"] is True
    restated = api.put(f"/api/v1/communities/{cid}/membership", json={"household": "HK-9"})
    assert restated.get_json()["household_confirmed"] is False


def test_invite_qr_png_for_runners_only(api, people, staff, make_community):
    """Staff get a PNG of the join link; residents get 403."""
    community = make_community()
    api.login(staff)
    response = api.get(f"/api/v1/communities/{community['id']}/invite-qr.png")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.data.startswith(b"\x89PNG\r\n\x1a\n")
    api.login(people[3])
    assert api.get(f"/api/v1/communities/{community['id']}/invite-qr.png").status_code == 403


def test_search_communities_with_or_without_diacritics(api, make_community):
    """`q` finds a community whether typed with diacritics or not; `kind` filters."""
    make_community("Chi hội Cựu chiến binh", kind="chi_hoi")
    make_community("Tổ dân phố số 3")
    for q in ("cuu chien", "Cựu Chiến"):
        found = api.get(f"/api/v1/wards/{WARD}/communities?q={q}").get_json()["items"]
        assert [c["name"] for c in found] == ["Chi hội Cựu chiến binh"]
    kinds = api.get(f"/api/v1/wards/{WARD}/communities?kind=to_dan_pho").get_json()["items"]
    assert [c["kind"] for c in kinds] == ["to_dan_pho"]


def test_follow_is_idempotent(api, people):
    """Following twice or unfollowing twice is fine; the code or the slug both work."""
    assert api.post(f"/api/v1/wards/{WARD}/follow").status_code == 401
    api.login(people[3])
    for ward in (WARD, "hoan-kiem"):
        response = api.post(f"/api/v1/wards/{ward}/follow")
        assert response.status_code == 200 and response.get_json()["following"] is True
    assert api.get("/api/v1/me/communities").get_json()["followed_wards"] == [WARD]
    assert api.post("/api/v1/wards/nowhere/follow").status_code == 404
    for _ in range(2):
        assert api.delete(f"/api/v1/wards/{WARD}/follow").status_code == 204
    assert api.get(f"/api/v1/wards/{WARD}/follow").get_json()["following"] is False


def test_membership_and_follow_are_unique_in_the_database(app, api, people, make_community, join):
    """The database itself refuses a second membership or follow row for the same person."""
    from community.groups.models import Membership, WardFollow

    community = make_community()
    join(people[3], community)
    user_id = api.me["id"]
    with app.app_context():
        db.session.add(Membership(community_id=community["id"], user_id=user_id, status="active"))
        with pytest.raises(sa.exc.IntegrityError):
            db.session.flush()
        db.session.rollback()
        db.session.add(WardFollow(user_id=user_id, ward_code=WARD))
        with pytest.raises(sa.exc.IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_rotating_the_invite_code_retires_the_old_one(api, people, make_community, appoint):
    """A leader replaces a leaked code; the old code no longer lets anyone in."""
    community = make_community()
    appoint(people[2], community)
    api.login(people[3])
    assert api.post(f"/api/v1/communities/{community['id']}/invite-code").status_code == 403
    api.login(people[2])
    rotated = api.post(f"/api/v1/communities/{community['id']}/invite-code").get_json()
    assert rotated["invite_code"] != community["invite_code"]
    api.login(people[3])
    url = f"/api/v1/communities/{community['id']}/join"
    assert api.post(url, json={"invite_code": community["invite_code"]}).status_code == 403
    assert api.post(url, json={"invite_code": rotated["invite_code"]}).status_code == 200


def test_a_leader_who_leaves_gives_up_the_role(api, people, make_community, appoint):
    """Leaving the community also ends the leader role in it."""
    community = make_community()
    appoint(people[2], community)
    api.login(people[2])
    assert any(r["role"] == "community_leader" for r in api.me["roles"])
    assert api.delete(f"/api/v1/communities/{community['id']}/membership").status_code == 204
    assert all(r["role"] != "community_leader" for r in api.login(people[2])["roles"])
    assert api.get(f"/api/v1/communities/{community['id']}").get_json()["leaders"] == []
