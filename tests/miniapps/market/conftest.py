"""Market fixtures: signed-in clients (staff, owner, others), a zone and merchants, via the API."""

import shutil
import subprocess
from dataclasses import dataclass

import pytest

from app.identity.demo import citizens_of
from tests.conftest import csrf_headers, grant, login_as

WARD = "00592"  # Từ Liêm
OTHER_WARD = "00025"  # Giảng Võ


@dataclass
class Caller:
    """A test client signed in as one person, with the CSRF header for unsafe requests."""

    client: object
    headers: dict
    sub: str

    def get(self, url, **kwargs):
        return self.client.get(url, **kwargs)

    def post(self, url, json=None, **kwargs):
        return self.client.post(url, json=json, headers=self.headers, **kwargs)

    def patch(self, url, json=None, **kwargs):
        return self.client.patch(url, json=json, headers=self.headers, **kwargs)

    def delete(self, url, **kwargs):
        return self.client.delete(url, headers=self.headers, **kwargs)


@pytest.fixture
def caller(app):
    """Make a client signed in as a demo citizen (by sub), optionally with a ward role."""

    def make(sub: str, *, role: str | None = None, ward: str | None = None) -> Caller:
        client = app.test_client()
        login_as(client, sub)
        if role:
            grant(app, sub, role, ward=ward)
        return Caller(client, csrf_headers(client), sub)

    return make


@pytest.fixture
def staff(caller):
    """A ward editor of Từ Liêm."""
    return caller(citizens_of(WARD)[1].sub, role="ward_editor", ward=WARD)


@pytest.fixture
def other_staff(caller):
    """A ward admin of Giảng Võ (another ward)."""
    return caller(citizens_of(OTHER_WARD)[0].sub, role="ward_admin", ward=OTHER_WARD)


@pytest.fixture
def owner(caller):
    """A resident of Từ Liêm who runs a stall."""
    return caller(citizens_of(WARD)[2].sub)


@pytest.fixture
def stranger(caller):
    """Another signed-in resident, with no role."""
    return caller(citizens_of(WARD)[3].sub)


@pytest.fixture
def anonymous(app):
    """A client that is not signed in."""
    return app.test_client()


@pytest.fixture
def zone(staff) -> int:
    """A market in Từ Liêm, opened by its staff."""
    response = staff.post(
        f"/api/v1/wards/{WARD}/market-zones",
        json={"name": "Chợ Phú Diễn", "kind": "market", "location": "Số 2 Phú Diễn"},
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


MERCHANT = {
    "name": "Cà phê Mộc",
    "stall": "Ki-ốt A12",
    "category": "Cà phê, đồ uống",
    "phone": "0912345678",
    "opening_hours": "6:30–22:00",
    "bank_bin": "970436",
    "account_number": "0011001234567",
    "account_name": "NGUYEN VAN MOC",
    "products": [
        {"name": "Cà phê sữa đá", "price": 30000},
        {"name": "Chè Thái Tân Cương", "price": 180000, "ocop_stars": 4},
    ],
}


@pytest.fixture
def register(owner, zone):
    """Register a merchant in the zone as the owner; returns its id."""

    def make(by: Caller | None = None, **changes) -> int:
        response = (by or owner).post(
            f"/api/v1/market-zones/{zone}/merchants", json={**MERCHANT, **changes}
        )
        assert response.status_code == 201, response.get_json()
        return response.get_json()["id"]

    return make


@pytest.fixture
def pending(register) -> int:
    """A merchant waiting for verification."""
    return register()


@pytest.fixture
def verified(pending, staff) -> int:
    """A merchant the ward's staff verified."""
    response = staff.post(f"/api/v1/merchants/{pending}/verify")
    assert response.status_code == 200, response.get_json()
    return pending


def zbar_decode(path) -> list[str]:
    """Decode every QR code in an image file with the real zbar decoder (zbarimg)."""
    if shutil.which("zbarimg") is None:
        pytest.fail("zbarimg is missing: install the Debian package zbar-tools")
    result = subprocess.run(
        ["zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(path)],
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.decode("utf-8").split("\n") if line]
