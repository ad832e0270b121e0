"""Config versions and the audit log page in a fixed number of SQL statements (no N+1)."""

from tests.conftest import assert_flat_cost

from .conftest import HOAN_KIEM
from .test_api import AUDIT, VERSIONS, publish_subtitle


def test_versions_and_audit_page_in_a_fixed_number_of_statements(
    ward_admin, city_admin, count_statements
):
    """Versions by two authors and their audit entries: 12 cost what 2 do."""
    admins = [ward_admin(HOAN_KIEM), city_admin]
    for number in range(11):
        publish_subtitle(admins[number % 2], HOAN_KIEM, f"Khẩu hiệu {number}")
    for url in (VERSIONS, AUDIT):
        assert_flat_cost(
            count_statements, lambda n, url=url: admins[0].get(f"{url.format(HOAN_KIEM)}?limit={n}")
        )
