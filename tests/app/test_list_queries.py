"""Core lists send as many SQL statements for 12 items as for 2 (no N+1)."""

from app.extensions import db
from app.identity import service as identity
from app.identity.demo import staff_sub
from tests.conftest import assert_flat_cost, grant, login_as

HOAN_KIEM = "00070"


def test_wards_page_in_a_fixed_number_of_statements(client, count_statements):
    """The 126 units, by pages of 2 or 12, searched or not."""
    assert_flat_cost(count_statements, lambda n: client.get(f"/api/v1/wards?limit={n}"))
    assert_flat_cost(count_statements, lambda n: client.get(f"/api/v1/wards?q=xa&limit={n}"))


def test_a_wards_roles_are_listed_with_their_holders_names_at_once(app, client, count_statements):
    """The grants of a ward, each naming its holder: 12 grants cost what 2 do."""
    admin = staff_sub(HOAN_KIEM)
    grant(app, admin, "ward_admin", ward=HOAN_KIEM)
    login_as(client, admin)
    with app.app_context():
        for number in range(11):
            identity.sign_in(
                provider=identity.MOCK_PROVIDER,
                claims={"sub": f"can-bo-{number}", "name": f"Cán bộ {number}"},
            )
        db.session.commit()
    grant(app, "can-bo-0", "ward_editor", ward=HOAN_KIEM)

    def roles():
        return client.get(f"/api/v1/wards/{HOAN_KIEM}/roles")

    roles()
    two, two_sent = count_statements(roles)
    for number in range(1, 11):
        grant(app, f"can-bo-{number}", "ward_editor", ward=HOAN_KIEM)
    roles()
    twelve, twelve_sent = count_statements(roles)
    assert len(two.get_json()["items"]) == 2 and len(twelve.get_json()["items"]) == 12
    assert len({g["user_name"] for g in twelve.get_json()["items"]}) == 12
    assert len(twelve_sent) == len(two_sent), "\n".join(twelve_sent)
