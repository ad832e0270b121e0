"""GET /api/v1/vocabulary: every code a page shows has its Vietnamese label, from one place."""

from app.identity.models import ROLES
from community.polls.models import KINDS
from miniapps.market.models import MERCHANT_STATUSES


def test_the_labels_of_every_module_are_served_in_vietnamese(client):
    response = client.get("/api/v1/vocabulary")

    assert response.status_code == 200
    vocabulary = response.get_json()
    assert vocabulary["merchant_status"]["pending"] == "Chờ xác minh"
    assert set(vocabulary["merchant_status"]) == set(MERCHANT_STATUSES)
    assert set(vocabulary["poll_kind"]) == set(KINDS)
    assert set(vocabulary["role"]) == set(ROLES)
    assert vocabulary["ward_type"] == {"phuong": "Phường", "xa": "Xã"}
    for name, labels in vocabulary.items():
        assert labels, name
        assert all(label.strip() and label != code for code, label in labels.items()), name


def test_the_labels_are_cacheable_and_revalidated(client):
    first = client.get("/api/v1/vocabulary")
    assert first.headers["Cache-Control"].startswith("public")

    again = client.get("/api/v1/vocabulary", headers={"If-None-Match": first.headers["ETag"]})

    assert again.status_code == 304
