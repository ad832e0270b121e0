"""Community and notice lists send as many SQL statements for 12 items as for 2 (no N+1)."""

import pytest

from app.extensions import db
from app.identity import service as identity
from tests.community.conftest import WARD
from tests.conftest import assert_flat_cost, grant


@pytest.fixture
def residents(app):
    """Make residents who have signed in once; return their bearer headers by user id."""

    def make(count: int) -> dict[int, dict]:
        made = {}
        with app.app_context():
            for number in range(count):
                user = identity.sign_in(
                    provider=identity.MOCK_PROVIDER,
                    claims={"sub": f"thanh-vien-{number}", "name": f"Thành viên {number}"},
                )
                token, _ = identity.issue_token(user)
                made[user.id] = {"Authorization": f"Bearer {token}"}
            db.session.commit()
        return made

    return make


@pytest.fixture
def twelve_communities(api, app, people, staff, make_community, residents):
    """Twelve communities, each with a leader, a deputy and members; one resident in all."""
    member = residents(1)
    (member_headers,) = member.values()
    communities = []
    for number in range(12):
        community = make_community(f"Tổ dân phố số {number + 1}")
        for sub, deputy in ((people[1 + number % 3], False), (people[4 + number % 3], True)):
            api.login(sub)
            api.login(staff)
            appointed = api.post(
                f"/api/v1/communities/{community['id']}/leaders",
                json={"sub": sub, "deputy": deputy},
            )
            assert appointed.status_code == 201, appointed.get_json()
        joined = api.client.post(
            f"/api/v1/communities/{community['id']}/join",
            json={"invite_code": community["invite_code"]},
            headers=member_headers,
        )
        assert joined.status_code == 200, joined.get_json()
        communities.append(community)
    grant(app, people[1], "community_leader", community_id=communities[0]["id"])
    return communities, member_headers


def test_a_wards_communities_page_in_a_fixed_number_of_statements(
    api, client, staff, people, twelve_communities, count_statements
):
    """Staff, a member, a leader and a visitor: 12 communities cost what 2 do."""
    _, member_headers = twelve_communities
    url = f"/api/v1/wards/{WARD}/communities?limit="
    api.login(staff)
    assert_flat_cost(count_statements, lambda n: api.get(f"{url}{n}"))
    assert_flat_cost(count_statements, lambda n: client.get(f"{url}{n}", headers=member_headers))
    api.login(people[1])  # leads some of them: sees their invite codes
    assert_flat_cost(count_statements, lambda n: api.get(f"{url}{n}"))
    api.logout()
    assert_flat_cost(count_statements, lambda n: api.get(f"{url}{n}"))


def test_my_communities_are_read_in_a_fixed_number_of_statements(
    client, twelve_communities, count_statements
):
    """A resident in 2 communities or in 12: the same statements."""
    communities, member_headers = twelve_communities

    def mine():
        return client.get("/api/v1/me/communities", headers=member_headers)

    mine()
    twelve, twelve_sent = count_statements(mine)
    for community in communities[2:]:
        left = client.delete(
            f"/api/v1/communities/{community['id']}/membership", headers=member_headers
        )
        assert left.status_code == 204, left.get_json()
    mine()
    two, two_sent = count_statements(mine)
    assert len(two.get_json()["items"]) == 2 and len(twelve.get_json()["items"]) == 12
    assert len(twelve_sent) == len(two_sent), "\n".join(twelve_sent)


def test_a_communitys_members_page_in_a_fixed_number_of_statements(
    api, client, staff, make_community, residents, count_statements
):
    """Its staff (full view, with roles) and a member (names): 12 members cost what 2 do."""
    community = make_community("Tổ dân phố số 9")
    members = residents(12)
    for headers in members.values():
        joined = client.post(
            f"/api/v1/communities/{community['id']}/join",
            json={"invite_code": community["invite_code"]},
            headers=headers,
        )
        assert joined.status_code == 200, joined.get_json()
    url = f"/api/v1/communities/{community['id']}/members?limit="
    api.login(staff)
    assert_flat_cost(count_statements, lambda n: api.get(f"{url}{n}"))
    member = next(iter(members.values()))
    assert_flat_cost(count_statements, lambda n: client.get(f"{url}{n}", headers=member))


def test_notice_lists_page_in_a_fixed_number_of_statements(
    api, client, staff, make_community, residents, count_statements
):
    """A ward's notice list (its staff) and a resident's feed: 12 notices cost what 2 do."""
    community = make_community("Tổ dân phố số 3")
    (member_headers,) = residents(1).values()
    joined = client.post(
        f"/api/v1/communities/{community['id']}/join",
        json={"invite_code": community["invite_code"]},
        headers=member_headers,
    )
    assert joined.status_code == 200, joined.get_json()
    client.post(f"/api/v1/wards/{WARD}/follow", headers=member_headers)
    api.login(staff)
    for number in range(12):
        body = {
            "title": f"Thông báo số {number}",
            "body": "Nội dung.",
            "ward": WARD,
            "category": "y_te",
            "community_ids": [community["id"]] if number % 2 else [],
            "pinned": number % 3 == 0,
        }
        created = api.post("/api/v1/notices", json=body)
        assert created.status_code == 201, created.get_json()
        if number % 4 == 0:
            read = client.post(
                f"/api/v1/notices/{created.get_json()['id']}/read", headers=member_headers
            )
            assert read.status_code in (200, 204), read.get_json()
    assert_flat_cost(count_statements, lambda n: api.get(f"/api/v1/wards/{WARD}/notices?limit={n}"))
    assert_flat_cost(
        count_statements,
        lambda n: client.get(f"/api/v1/me/feed?limit={n}", headers=member_headers),
    )
