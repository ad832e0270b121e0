"""Every privileged act leaves one entry in its ward's audit log, made through the real API."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.app.audit.conftest import OTHER_WARD, WARD, audit_of


def later(**delta) -> str:
    """Return an ISO time `delta` from now."""
    return (datetime.now(UTC) + timedelta(**delta)).isoformat()


def created(response) -> dict:
    """Return the JSON of a 200/201 answer, failing with the error otherwise."""
    assert response.status_code in (200, 201), response.get_json()
    return response.get_json()


def notice_acts(admin, **_):
    """Publish a notice, then withdraw it."""
    body = {"title": "Lịch tiêm chủng", "body": "Sáng thứ Bảy.", "ward": WARD, "category": "y_te"}
    notice = created(admin.post("/api/v1/notices", json=body))
    created(admin.post(f"/api/v1/notices/{notice['id']}/withdraw"))
    return [
        ("notice.published", "notice", str(notice["id"]), "Lịch tiêm chủng"),
        ("notice.withdrawn", "notice", str(notice["id"]), "Lịch tiêm chủng"),
    ]


def poll_acts(admin, **_):
    """Create a poll, open it, close it."""
    body = {
        "title": "Lắp camera đầu ngõ",
        "kind": "vote",
        "ward": WARD,
        "questions": [{"text": "Đồng ý?", "options": ["Đồng ý", "Không"]}],
        "closes_at": later(days=7),
    }
    poll = created(admin.post("/api/v1/polls", json=body))
    created(admin.post(f"/api/v1/polls/{poll['id']}/open"))
    created(admin.post(f"/api/v1/polls/{poll['id']}/close", json={"reason": "Đủ ý kiến"}))
    pid = str(poll["id"])
    return [
        ("poll.created", "poll", pid, "Lắp camera đầu ngõ"),
        ("poll.opened", "poll", pid, "Lắp camera đầu ngõ"),
        ("poll.closed", "poll", pid, "Lắp camera đầu ngõ"),
    ]


MERCHANT = {
    "name": "Cà phê Mộc",
    "stall": "Ki-ốt A12",
    "category": "Cà phê, đồ uống",
    "phone": "0912345678",
    "bank_bin": "970436",
    "account_number": "0011001234567",
    "account_name": "NGUYEN VAN MOC",
}


def merchant_acts(admin, resident, **_):
    """Verify, suspend and reinstate one stall; reject another."""
    zone = created(
        admin.post(
            f"/api/v1/wards/{WARD}/market-zones", json={"name": "Chợ Hàng Da", "kind": "market"}
        )
    )
    url = f"/api/v1/market-zones/{zone['id']}/merchants"
    one = created(resident.post(url, json=MERCHANT))["id"]
    two = created(resident.post(url, json={**MERCHANT, "name": "Bánh mì Phố", "stall": "B2"}))["id"]
    created(admin.post(f"/api/v1/merchants/{one}/verify"))
    created(admin.post(f"/api/v1/merchants/{one}/suspend", json={"reason": "Sai giá"}))
    created(admin.post(f"/api/v1/merchants/{one}/verify"))
    created(admin.post(f"/api/v1/merchants/{two}/reject", json={"reason": "Trùng"}))
    return [
        ("market_zone.created", "market_zone", str(zone["id"]), "Chợ Hàng Da"),
        ("merchant.verified", "merchant", str(one), "Cà phê Mộc"),
        ("merchant.suspended", "merchant", str(one), "Cà phê Mộc"),
        ("merchant.reinstated", "merchant", str(one), "Cà phê Mộc"),
        ("merchant.rejected", "merchant", str(two), "Bánh mì Phố"),
    ]


def report_acts(admin, resident, **_):
    """Move a resident's report on, file it elsewhere, hide its text."""
    body = {
        "ward": WARD,
        "category": "rac_thai",
        "description": "Rác đổ trộm ở đầu ngõ nhà ông Tư.",
        "lat": 21.02885,
        "long": 105.85224,
        "address": "Đầu ngõ 5 Hàng Bông",
    }
    report = created(resident.post("/api/v1/reports", json=body))
    rid = report["id"]
    created(
        admin.post(
            f"/api/v1/reports/{rid}/status", json={"status": "in_progress", "note": "Đã giao"}
        )
    )
    created(admin.patch(f"/api/v1/reports/{rid}", json={"category": "duong_via_he"}))
    created(
        admin.post(
            f"/api/v1/reports/{rid}/hide", json={"target": "description", "reason": "Nêu tên người"}
        )
    )
    return [
        ("report.status_changed", "report", str(rid), f"Phản ánh #{rid}: Đang xử lý"),
        ("report.recategorized", "report", str(rid), None),
        ("report.hidden", "report", str(rid), f"Phản ánh #{rid}: nội dung"),
    ]


def config_acts(admin, **_):
    """Publish a changed config, then roll back to version 1."""
    draft_url = f"/api/v1/wards/{WARD}/miniapp/draft"
    document = created(admin.get(draft_url))
    document["app"]["subtitle"] = "Phiên bản thử"
    created(admin.put(draft_url, json=document))
    created(admin.post(f"/api/v1/wards/{WARD}/miniapp/publish"))
    created(admin.post(f"/api/v1/wards/{WARD}/miniapp/versions/1/restore"))
    return [
        ("config.published", "miniapp_version", "2", "Phiên bản 2"),
        ("config.rolled_back", "miniapp_version", "3", "Phiên bản 3"),
    ]


def member_acts(admin, resident, **_):
    """Create a community; a resident asks to join, is approved, then removed."""
    community = created(
        admin.post(
            f"/api/v1/wards/{WARD}/communities",
            json={"name": "Tổ dân phố số 9", "kind": "to_dan_pho"},
        )
    )
    cid = community["id"]
    created(resident.post(f"/api/v1/communities/{cid}/join", json={}))
    uid = resident.user_id
    created(admin.post(f"/api/v1/communities/{cid}/members/{uid}/approve"))
    assert admin.delete(f"/api/v1/communities/{cid}/members/{uid}").status_code == 204
    label = f"Tổ dân phố số 9 · tài khoản #{uid}"
    return [
        ("community.created", "community", str(cid), "Tổ dân phố số 9"),
        ("member.approved", "membership", f"{cid}/{uid}", label),
        ("member.removed", "membership", f"{cid}/{uid}", label),
    ]


def booking_acts(admin, **_):
    """Add a booking service, then change it."""
    hours = [{"weekday": day, "start": "07:30", "end": "11:30"} for day in range(1, 6)]
    body = {
        "name": "Hộ tịch",
        "duration_minutes": 15,
        "capacity": 2,
        "counters": 2,
        "hours": hours,
        "location": "Bộ phận một cửa",
    }
    service = created(admin.post(f"/api/v1/wards/{WARD}/booking-services", json=body))
    created(admin.patch(f"/api/v1/booking-services/{service['id']}", json={"capacity": 3}))
    sid = str(service["id"])
    return [
        ("booking_service.created", "booking_service", sid, "Hộ tịch"),
        ("booking_service.updated", "booking_service", sid, "Hộ tịch"),
    ]


def webhook_acts(admin, **_):
    """Register a ward endpoint, then delete it."""
    body = {
        "url": "http://127.0.0.1:9/hook?token=s3cret",
        "events": ["notice.published"],
        "ward": WARD,
    }
    endpoint = created(admin.post("/api/v1/webhooks", json=body))
    assert admin.delete(f"/api/v1/webhooks/{endpoint['id']}").status_code == 204
    eid = str(endpoint["id"])
    label = f"Điểm nhận #{eid} (127.0.0.1)"
    return [
        ("webhook.created", "webhook_endpoint", eid, label),
        ("webhook.deleted", "webhook_endpoint", eid, label),
    ]


def registry_acts(admin, **_):
    """Add a residential group to the registry, rename it, remove it."""
    group = created(
        admin.post(
            f"/api/v1/wards/{WARD}/residential-groups",
            json={"name": "Tổ dân phố 12", "kind": "to_dan_pho", "households": 80},
        )
    )
    gid = group["id"]
    created(admin.patch(f"/api/v1/residential-groups/{gid}", json={"name": "Tổ dân phố 12A"}))
    assert admin.delete(f"/api/v1/residential-groups/{gid}").status_code == 204
    return [
        ("residential_group.created", "residential_group", str(gid), "Tổ dân phố 12"),
        ("residential_group.updated", "residential_group", str(gid), "Tổ dân phố 12A"),
        ("residential_group.deleted", "residential_group", str(gid), "Tổ dân phố 12A"),
    ]


def report_category_acts(admin, **_):
    """Add a report category, then change its deadline."""
    body = {
        "code": "cap_nuoc",
        "name": "Cấp nước sinh hoạt",
        "group": "Hạ tầng đô thị",
        "description": "Mất nước.",
        "deadline_days": 2,
    }
    created(admin.post(f"/api/v1/wards/{WARD}/report-categories", json=body))
    created(
        admin.patch(f"/api/v1/wards/{WARD}/report-categories/cap_nuoc", json={"deadline_days": 3})
    )
    return [
        ("report_category.created", "report_category", "cap_nuoc", "Cấp nước sinh hoạt"),
        ("report_category.updated", "report_category", "cap_nuoc", "Cấp nước sinh hoạt"),
    ]


def leader_acts(admin, resident, **_):
    """Dismiss a community's leader: the role goes (identity logs the appointment itself)."""
    community = created(
        admin.post(f"/api/v1/wards/{WARD}/communities", json={"name": "Thôn Đông", "kind": "thon"})
    )
    cid, uid = community["id"], resident.user_id
    created(admin.post(f"/api/v1/communities/{cid}/leaders", json={"user_id": uid}))
    before = {e["id"] for e in audit_of(admin)}
    assert admin.delete(f"/api/v1/communities/{cid}/leaders/{uid}").status_code == 204
    dismissal = [e for e in audit_of(admin) if e["id"] not in before]
    assert [(e["action"], e["object"]["label"]) for e in dismissal] == [
        ("role.revoked", f"Thôn Đông · tài khoản #{uid}")
    ]


@pytest.mark.parametrize(
    "act",
    [
        notice_acts,
        poll_acts,
        merchant_acts,
        report_acts,
        config_acts,
        member_acts,
        booking_acts,
        webhook_acts,
        registry_acts,
        report_category_acts,
    ],
    ids=lambda act: act.__name__,
)
def test_each_privileged_act_is_logged_once_in_its_ward(act, ward_admin, resident):
    """Each act adds exactly its entries, in order, with its actor, object and ward."""
    before = {e["id"] for e in audit_of(ward_admin)}
    expected = act(admin=ward_admin, resident=resident)
    entries = [e for e in reversed(audit_of(ward_admin)) if e["id"] not in before]
    assert [(e["action"], e["object"]["type"], e["object"]["id"]) for e in entries] == [
        (action, kind, oid) for action, kind, oid, _ in expected
    ]
    for entry, (_, _, _, label) in zip(entries, expected, strict=True):
        if label is not None:
            assert entry["object"]["label"] == label
        assert entry["ward"] == WARD
        assert entry["actor"] == {"kind": "person", "name": ward_admin.name}
        assert entry["at"].endswith("+07:00")
        # The resident's name (their report, their membership) is never in the log.
        assert resident.name not in str(entry)


def test_dismissing_a_leader_is_logged_as_a_revoked_role(ward_admin, resident):
    """The leader grant deleted by the community module is logged like any revocation."""
    leader_acts(admin=ward_admin, resident=resident)


def test_api_client_changes_are_logged_for_the_city(city_admin):
    """Registering and deleting an API client are the city's acts (no ward)."""
    made = created(
        city_admin.post(
            "/api/v1/clients",
            json={"name": "Cổng dữ liệu quận", "scopes": ["notices:read"], "wards": [WARD]},
        )
    )
    assert city_admin.delete(f"/api/v1/clients/{made['client_id']}").status_code == 204
    items = created(city_admin.get("/api/v1/audit", query_string={"action": "client."}))["items"]
    assert [(e["action"], e["object"]["id"], e["object"]["label"], e["ward"]) for e in items] == [
        ("client.deleted", made["client_id"], "Cổng dữ liệu quận", None),
        ("client.created", made["client_id"], "Cổng dữ liệu quận", None),
    ]


def test_city_wide_notice_logs_each_ward_once_and_the_broadcast_once(city_admin, ward_admin):
    """A broadcast: one entry per ward (the ward's own notice) and one for the broadcast."""
    wards = [WARD, OTHER_WARD]
    body = {
        "title": "Phòng chống bão số 3",
        "body": "Chằng chống nhà cửa.",
        "category": "phong_chong_thien_tai",
        "wards": wards,
    }
    response = city_admin.post("/api/v1/notices", json=body)
    assert response.status_code == 201, response.get_json()
    broadcast = response.get_json()
    mine = [e for e in audit_of(ward_admin) if e["action"].startswith("notice.")]
    assert [e["action"] for e in mine] == ["notice.published"]
    everything = created(city_admin.get("/api/v1/audit", query_string={"limit": 200}))["items"]
    published = sorted(e["ward"] or "" for e in everything if e["action"] == "notice.published")
    assert published == sorted(wards)
    city = [e for e in everything if e["action"] == "broadcast.published"]
    assert [(e["object"]["id"], e["ward"]) for e in city] == [(str(broadcast["id"]), None)]


def _new_entries(reader, before: set, ward: str = WARD) -> list[dict]:
    """Return the entries of the ward's log not in `before`, oldest first."""
    return [e for e in reversed(audit_of(reader, ward)) if e["id"] not in before]


def _leader_of_new_community(admin, resident, name: str) -> int:
    """Create a community and appoint the resident its leader; return the community's id."""
    community = created(
        admin.post(f"/api/v1/wards/{WARD}/communities", json={"name": name, "kind": "thon"})
    )
    created(
        admin.post(
            f"/api/v1/communities/{community['id']}/leaders", json={"user_id": resident.user_id}
        )
    )
    return community["id"]


def test_removing_a_leader_logs_the_revoked_role_then_the_removal(ward_admin, resident):
    """A leader removed from the community loses the role: both acts are logged."""
    cid = _leader_of_new_community(ward_admin, resident, "Thôn Bắc")
    uid = resident.user_id
    before = {e["id"] for e in audit_of(ward_admin)}
    assert ward_admin.delete(f"/api/v1/communities/{cid}/members/{uid}").status_code == 204
    entries = _new_entries(ward_admin, before)
    label = f"Thôn Bắc · tài khoản #{uid}"
    assert [(e["action"], e["object"]["id"], e["object"]["label"]) for e in entries] == [
        ("role.revoked", f"{cid}/{uid}", label),
        ("member.removed", f"{cid}/{uid}", label),
    ]
    assert all(e["actor"]["name"] == ward_admin.name and e["ward"] == WARD for e in entries)


def test_a_leader_leaving_logs_the_revoked_role(ward_admin, resident):
    """A leader who leaves gives up the role: logged as their own act in the ward."""
    cid = _leader_of_new_community(ward_admin, resident, "Thôn Nam")
    uid = resident.user_id
    before = {e["id"] for e in audit_of(ward_admin)}
    assert resident.delete(f"/api/v1/communities/{cid}/membership").status_code == 204
    entries = _new_entries(ward_admin, before)
    assert [(e["action"], e["object"]["label"], e["ward"]) for e in entries] == [
        ("role.revoked", f"Thôn Nam · tài khoản #{uid}", WARD)
    ]
    assert entries[0]["actor"] == {"kind": "person", "name": resident.name}


def test_a_plain_member_leaving_logs_nothing(ward_admin, resident):
    """No grant dropped, no role.revoked: a member's own leaving is not a privileged act."""
    community = created(
        ward_admin.post(
            f"/api/v1/wards/{WARD}/communities", json={"name": "Thôn Tây", "kind": "thon"}
        )
    )
    cid = community["id"]
    created(resident.post(f"/api/v1/communities/{cid}/join", json={}))
    created(ward_admin.post(f"/api/v1/communities/{cid}/members/{resident.user_id}/approve"))
    before = {e["id"] for e in audit_of(ward_admin)}
    assert resident.delete(f"/api/v1/communities/{cid}/membership").status_code == 204
    assert _new_entries(ward_admin, before) == []


def test_a_410_gone_disabling_an_endpoint_is_the_systems_act(app, ward_admin):
    """The worker disables an endpoint that answered 410: logged in its ward, by the system."""
    from app.extensions import db
    from integrations.webhooks import service as webhooks
    from tests.integrations.webhooks.conftest import Receiver

    receiver = Receiver(status=410).start()
    try:
        endpoint = created(
            ward_admin.post(
                "/api/v1/webhooks",
                json={"url": receiver.url, "events": ["notice.published"], "ward": WARD},
            )
        )
        notice_acts(ward_admin)  # publishes a notice: one delivery to the endpoint
        before = {e["id"] for e in audit_of(ward_admin)}
        with app.app_context():
            try:
                webhooks.deliver_due()
            finally:
                db.session.remove()
        assert receiver.received, "the worker sent nothing"
    finally:
        receiver.stop()
    assert created(ward_admin.get(f"/api/v1/webhooks/{endpoint['id']}"))["active"] is False
    entries = _new_entries(ward_admin, before)
    eid = str(endpoint["id"])
    assert [(e["action"], e["object"]["id"], e["object"]["label"]) for e in entries] == [
        ("webhook.disabled", eid, f"Điểm nhận #{eid} (127.0.0.1)")
    ]
    assert entries[0]["ward"] == WARD
    assert entries[0]["actor"]["kind"] == "system"


def test_a_client_revoking_its_token_is_logged_for_the_city(app, city_admin):
    """RFC 7009 revocation: the client's own act, no ward, the token by number only."""
    import base64

    made = created(
        city_admin.post(
            "/api/v1/clients",
            json={"name": "Cổng dữ liệu quận", "scopes": ["notices:read"], "wards": [WARD]},
        )
    )
    raw = f"{made['client_id']}:{made['client_secret']}".encode()
    basic = {"Authorization": f"Basic {base64.b64encode(raw).decode()}"}
    outside = app.test_client()
    taken = outside.post("/oauth/token", data={"grant_type": "client_credentials"}, headers=basic)
    assert taken.status_code == 200, taken.get_json()
    token = taken.get_json()["access_token"]
    for _ in range(2):  # the second revocation changes nothing and logs nothing
        assert (
            outside.post("/oauth/revoke", data={"token": token}, headers=basic).status_code == 200
        )
    query = {"action": "client.token_"}
    items = created(city_admin.get("/api/v1/audit", query_string=query))["items"]
    assert [(e["action"], e["object"]["type"], e["ward"]) for e in items] == [
        ("client.token_revoked", "api_token", None)
    ]
    (entry,) = items
    assert entry["object"]["label"] == f"Cổng dữ liệu quận · mã truy cập #{entry['object']['id']}"
    assert entry["actor"] == {"kind": "client", "name": "Cổng dữ liệu quận"}
    assert token not in str(entry)


def test_a_resident_reopening_a_report_is_logged_without_their_words(ward_admin, resident):
    """The reporter's reopening: in the report's ward, by the resident, the number only."""
    body = {
        "ward": WARD,
        "category": "rac_thai",
        "description": "Rác đổ trộm ở đầu ngõ.",
        "lat": 21.02885,
        "long": 105.85224,
        "address": "Đầu ngõ 5 Hàng Bông",
    }
    rid = created(resident.post("/api/v1/reports", json=body))["id"]
    created(
        ward_admin.post(
            f"/api/v1/reports/{rid}/status", json={"status": "resolved", "note": "Xong"}
        )
    )
    before = {e["id"] for e in audit_of(ward_admin)}
    words = "Rác lại bị đổ, nhà số 7 làm."
    created(resident.post(f"/api/v1/reports/{rid}/reopen", json={"note": words}))
    entries = _new_entries(ward_admin, before)
    assert [(e["action"], e["object"]["id"], e["object"]["label"], e["ward"]) for e in entries] == [
        ("report.reopened", str(rid), f"Phản ánh #{rid}", WARD)
    ]
    assert entries[0]["actor"] == {"kind": "person", "name": resident.name}
    assert words not in str(entries[0])
