"""Indicators measured from the system: each figure follows from what people did through the API."""

import csv
import os
from datetime import datetime

import pytest
import time_machine

from app.config import DEFAULT_INSTALLED_MODULES
from app.extensions import db
from app.fields import LOCAL_TZ
from app.identity.demo import citizens_of
from tests.conftest import csrf_headers, grant, login_as, make_app

WARD = "00070"


class Actor:
    """The test client signed in as one person at a time, sending their CSRF header."""

    def __init__(self, client):
        self.client = client
        self.headers = {}

    def login(self, sub):
        login_as(self.client, sub)
        self.headers = csrf_headers(self.client)

    def post(self, url, json=None):
        return self.client.post(url, json=json or {}, headers=self.headers)

    def put(self, url, json=None):
        return self.client.put(url, json=json or {}, headers=self.headers)


def indicators_of(client, ward=WARD) -> dict:
    """Return {indicator id: indicator} for one ward."""
    body = client.get(f"/api/v1/kpi?ward={ward}").get_json()
    assert len(body["items"]) == 1
    return {i["id"]: i for i in body["items"][0]["indicators"]}


@pytest.fixture(autouse=True)
def before_the_deadline():
    """The plans' deadline is 31 December 2026: below target is `at_risk` before it and
    `missed` after. These tests run on a day before it, whatever the machine's date."""
    with time_machine.travel(datetime(2026, 11, 30, 9, 0, tzinfo=LOCAL_TZ), tick=True):
        yield


@pytest.fixture
def people():
    """Demo citizens of Hoàn Kiếm; [0] is made ward admin."""
    return [c.sub for c in citizens_of(WARD)]


@pytest.fixture
def actor(app, client, people):
    """An actor, with the ward admin granted."""
    grant(app, people[0], "ward_admin", ward=WARD)
    return Actor(client)


def test_city_wide_has_one_entry_per_unit(client):
    """Without ?ward= the answer lists all 126 units, each indicator with value, target, status."""
    body = client.get("/api/v1/kpi").get_json()
    assert len(body["items"]) == 126
    assert len({e["ward"]["code"] for e in body["items"]}) == 126
    for entry in body["items"]:
        for indicator in entry["indicators"]:
            assert {"value", "target", "status"} <= set(indicator)
            assert indicator["status"] in {
                "met",
                "on_track",
                "at_risk",
                "missed",
                "no_data",
                "info",
            }
    first = body["items"][0]
    assert (
        [i["id"] for i in first["indicators"]]
        == [s["id"] for s in body["summary"]]
        == [
            "miniapp_customised",
            "residential_groups_active",
            "notice_reach",
            "merchant_payment_qr",
            "residents_reached",
            "field_reports_on_time",
            "field_reports_published",
            "field_reports_rating",
            "appointments_on_time",
            "appointments_rating",
            "satisfaction",
        ]
    )
    assert first["measured_at"].endswith("+07:00")
    reach = next(s for s in body["summary"] if s["id"] == "notice_reach")
    assert reach["target"] == 0.7
    assert reach["wards_no_data"] == 126  # no notice was sent yet


def test_unknown_ward_is_404(client):
    """An unknown ward is refused with the JSON error."""
    response = client.get("/api/v1/kpi?ward=khong-co")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "ward_not_found"


def test_indicators_follow_the_activity(client, actor, people):
    """Groups, notice reach, merchants with QR and residents reached are counted from the data."""
    actor.login(people[0])
    # The ward's registry of residential groups is the denominator; each community names its group.
    registry = [
        actor.post(
            f"/api/v1/wards/{WARD}/residential-groups",
            {"name": name, "kind": "to_dan_pho", "households": 80},
        ).get_json()["id"]
        for name in ("Tổ 1", "Tổ 2")
    ]
    active = actor.post(
        f"/api/v1/wards/{WARD}/communities",
        {"name": "Tổ 1", "kind": "to_dan_pho", "residential_group_id": registry[0]},
    )
    empty = actor.post(
        f"/api/v1/wards/{WARD}/communities",
        {"name": "Tổ 2", "kind": "to_dan_pho", "residential_group_id": registry[1]},
    )
    assert active.status_code == empty.status_code == 201
    community = active.get_json()
    for sub in people[1:5]:
        actor.login(sub)
        joined = actor.post(
            f"/api/v1/communities/{community['id']}/join",
            {"invite_code": community["invite_code"]},
        )
        assert joined.status_code in (200, 201), joined.get_data(as_text=True)
    actor.login(people[0])
    leader = actor.post(f"/api/v1/communities/{community['id']}/leaders", {"sub": people[1]})
    assert leader.status_code in (200, 201), leader.get_data(as_text=True)
    notice = actor.post(
        "/api/v1/notices",
        {
            "title": "Lịch thu gom rác",
            "body": "Thu gom rác từ 18 giờ.",
            "ward": WARD,
            "community_ids": [community["id"]],
            "category": "moi_truong",
        },
    )
    assert notice.status_code == 201, notice.get_data(as_text=True)
    for sub in people[1:3]:
        actor.login(sub)
        assert actor.post(f"/api/v1/notices/{notice.get_json()['id']}/read").status_code == 200

    actor.login(people[0])
    zone = actor.post(f"/api/v1/wards/{WARD}/market-zones", {"name": "Phố đi bộ", "kind": "street"})
    assert zone.status_code == 201
    merchant_ids = []
    for i, sub in enumerate(people[1:3]):
        actor.login(sub)
        registered = actor.post(
            f"/api/v1/market-zones/{zone.get_json()['id']}/merchants",
            {
                "name": f"Quầy {i}",
                "stall": f"A{i}",
                "bank_bin": "970436",
                "account_number": f"00110{i}2345678",
                "account_name": "NGUYEN VAN A",
            },
        )
        assert registered.status_code == 201, registered.get_data(as_text=True)
        merchant_ids.append(registered.get_json()["id"])
    actor.login(people[0])
    assert actor.post(f"/api/v1/merchants/{merchant_ids[0]}/verify").status_code == 200

    found = indicators_of(client)
    groups = found["residential_groups_active"]
    assert (groups["numerator"], groups["denominator"], groups["value"]) == (1, 2, 0.5)
    assert groups["status"] == "at_risk"
    reach = found["notice_reach"]
    assert (reach["numerator"], reach["denominator"], reach["value"]) == (2, 4, 0.5)
    assert reach["status"] == "at_risk"
    qr = found["merchant_payment_qr"]
    assert (qr["numerator"], qr["denominator"], qr["value"]) == (1, 2, 0.5)
    assert found["residents_reached"]["value"] == 4
    assert found["residents_reached"]["status"] == "info"

    # Two more reads lift the reach over the 70% target.
    for sub in people[3:5]:
        actor.login(sub)
        actor.post(f"/api/v1/notices/{notice.get_json()['id']}/read")
    assert indicators_of(client)["notice_reach"]["status"] == "met"


def test_miniapp_customised_after_the_ward_publishes(client, actor, people):
    """A ward that publishes its own config version meets the customisation indicator."""
    assert indicators_of(client)["miniapp_customised"]["status"] == "at_risk"
    actor.login(people[0])
    draft = client.get(f"/api/v1/wards/{WARD}/miniapp/draft").get_json()
    draft["app"]["subtitle"] = "Phường của chúng ta"
    assert actor.put(f"/api/v1/wards/{WARD}/miniapp/draft", draft).status_code == 200
    assert actor.post(f"/api/v1/wards/{WARD}/miniapp/publish").status_code == 201
    assert indicators_of(client)["miniapp_customised"]["status"] == "met"


def test_csv_export_has_bom_and_a_row_per_ward_indicator(client):
    """The CSV starts with a BOM and has a row per ward and indicator, Vietnamese intact."""
    response = client.get("/api/v1/kpi?format=csv")
    assert response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")
    lines = response.data.decode("utf-8-sig").strip().splitlines()
    indicators = len(indicators_of(client))
    assert len(lines) == 1 + 126 * indicators
    assert "Phường Hoàn Kiếm" in response.data.decode("utf-8")
    header, first = csv.reader(lines[:2])
    assert header[:3] == ["Mã đơn vị", "Tên đơn vị", "Loại"]
    # People read labels, not codes: "Phường", not "phuong"; "Đạt", not "met".
    assert first[2] in ("Phường", "Xã")
    assert first[header.index("Trạng thái")] in {
        "Đạt",
        "Đúng tiến độ",
        "Có nguy cơ không đạt",
        "Không đạt",
        "Chưa có số liệu",
        "Theo dõi (không có mục tiêu)",
    }


def test_indicators_come_from_the_installed_modules(database_url):
    """A module that is not installed brings no indicator: the table reads the registry only."""
    installed = [name for name in DEFAULT_INSTALLED_MODULES if name != "miniapps.market"]
    without_market = make_app(
        database_url, os.environ["PXS_TEST_INSTANCE"], INSTALLED_MODULES=installed
    )
    try:
        body = without_market.test_client().get(f"/api/v1/kpi?ward={WARD}").get_json()
        ids = [i["id"] for i in body["items"][0]["indicators"]]
        assert "merchant_payment_qr" not in ids
        assert "notice_reach" in ids
    finally:
        with without_market.app_context():
            db.engine.dispose()
