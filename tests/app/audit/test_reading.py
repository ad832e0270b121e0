"""Reading the audit log: who may, what an entry shows, filters, pages, no personal data."""

import pytest
import sqlalchemy as sa

from app.audit import SYSTEM_ACTOR, record
from app.audit.actions import ACTIONS
from app.audit.models import AuditEntry
from app.extensions import db
from app.identity.models import User
from tests.app.audit.conftest import OTHER_WARD, WARD, audit_of
from tests.conftest import assert_flat_cost


def write(
    app, count: int, *, ward: str | None = WARD, action: str = "notice.published", actor=None
):
    """Write `count` entries straight through the one writer, outside any request."""
    with app.app_context():
        who = db.session.get(User, actor) if isinstance(actor, int) else actor
        for n in range(count):
            record(action, "notice", n + 1, f"Thông báo {n + 1}", ward_code=ward, actor=who)
        db.session.commit()


def test_ward_admins_and_city_admins_read_a_ward_others_may_not(
    app, client, ward_admin, editor, resident, other_admin, city_admin
):
    """Its ward admins and city admins read a ward's log; an editor, a resident and another
    ward's admin get 403; nobody signed in gets 401."""
    write(app, 1)
    url = f"/api/v1/wards/{WARD}/audit"
    assert ward_admin.get(url).status_code == 200
    assert city_admin.get(url).status_code == 200
    for refused in (editor, resident, other_admin):
        response = refused.get(url)
        assert response.status_code == 403, response.get_json()
        assert response.get_json()["error"]["code"] == "forbidden"
    assert client.get(url).status_code == 401
    assert ward_admin.get("/api/v1/wards/99999/audit").status_code == 404


def test_only_city_admins_read_the_whole_city(app, client, ward_admin, city_admin):
    """`GET /api/v1/audit` is for city admins: every ward and the city's own acts."""
    write(app, 1, ward=WARD)
    write(app, 1, ward=OTHER_WARD)
    write(app, 1, ward=None)
    assert ward_admin.get("/api/v1/audit").status_code == 403
    assert client.get("/api/v1/audit").status_code == 401
    # (the fixtures' role grants are in the log too: look at the notices only)
    items = city_admin.get("/api/v1/audit?action=notice.").get_json()["items"]
    assert [e["ward"] for e in items] == [None, OTHER_WARD, WARD]
    query = {"ward": OTHER_WARD, "action": "notice."}
    only = city_admin.get("/api/v1/audit", query_string=query).get_json()["items"]
    assert [e["ward"] for e in only] == [OTHER_WARD]
    assert city_admin.get("/api/v1/audit?ward=khong-co").status_code == 404


def test_a_ward_admin_sees_only_their_ward(app, ward_admin):
    """Another ward's entries and the city's own are not in a ward's log."""
    write(app, 2, ward=OTHER_WARD)
    write(app, 1, ward=None)
    write(app, 1, ward=WARD)
    assert [e["ward"] for e in audit_of(ward_admin, action="notice.")] == [WARD]
    assert {e["ward"] for e in audit_of(ward_admin)} == {WARD}


def test_an_entry_names_its_actor_as_they_are_now(app, ward_admin, city_admin, resident):
    """A person by name, an erased person as «Tài khoản đã xóa», the system as «Hệ thống»,
    an API client by the client's name; the answer is never cached."""
    write(app, 1, actor=ward_admin.user_id)
    write(app, 1, actor=resident.user_id)
    write(app, 1, actor=SYSTEM_ACTOR)
    made = city_admin.post(
        "/api/v1/clients",
        json={"name": "Cổng dữ liệu quận", "scopes": ["notices:read"], "wards": [WARD]},
    )
    assert made.status_code == 201, made.get_json()
    with app.app_context():
        account = db.session.scalars(
            sa.select(User).where(User.sub == made.get_json()["client_id"])
        ).one()
        record("notice.published", "notice", 9, "Thông báo 9", ward_code=WARD, actor=account)
        db.session.commit()
    assert resident.delete("/api/v1/me").status_code == 204  # the resident erases their account
    response = ward_admin.get(f"/api/v1/wards/{WARD}/audit?action=notice.")
    assert response.headers["Cache-Control"] == "no-store"
    actors = [e["actor"] for e in response.get_json()["items"]]
    assert actors == [
        {"kind": "client", "name": "Cổng dữ liệu quận"},
        {"kind": "system", "name": "Hệ thống"},
        {"kind": "person", "name": "Tài khoản đã xóa"},
        {"kind": "person", "name": ward_admin.name},
    ]
    assert resident.name not in response.get_data(as_text=True)


def test_nothing_personal_is_stored_in_an_entry(app, ward_admin, resident):
    """Removing a resident from a community stores their account number, not their name."""
    community = ward_admin.post(
        f"/api/v1/wards/{WARD}/communities", json={"name": "Tổ 4", "kind": "to_dan_pho"}
    ).get_json()
    assert resident.post(f"/api/v1/communities/{community['id']}/join", json={}).status_code in (
        200,
        201,
    )
    removed = ward_admin.delete(f"/api/v1/communities/{community['id']}/members/{resident.user_id}")
    assert removed.status_code == 204
    with app.app_context():
        rows = db.session.execute(sa.select(AuditEntry.__table__)).mappings().all()
    assert rows
    stored = " ".join(str(v) for row in rows for v in row.values())
    assert resident.name and resident.name not in stored
    assert f"tài khoản #{resident.user_id}" in stored


def test_pages_newest_first_and_filter_by_kind_of_act(app, ward_admin):
    """`limit` and `cursor` walk the log newest first without gaps; `action` is a prefix."""
    write(app, 5, action="poll.created")
    write(app, 2, action="poll.opened")
    seen, cursor = [], None
    while True:
        query = {"limit": 3, "action": "p", **({"cursor": cursor} if cursor else {})}
        page = ward_admin.get(f"/api/v1/wards/{WARD}/audit", query_string=query).get_json()
        seen += page["items"]
        cursor = page["next"]
        assert page["has_more"] == (cursor is not None)
        if not page["has_more"]:
            break
    assert len(seen) == 7
    assert [e["id"] for e in seen] == sorted((e["id"] for e in seen), reverse=True)
    assert [e["action"] for e in seen[:2]] == ["poll.opened", "poll.opened"]
    opened = audit_of(ward_admin, action="poll.o")
    assert [e["action"] for e in opened] == ["poll.opened", "poll.opened"]
    assert audit_of(ward_admin, action="poll%") == []  # a prefix, not a pattern
    bad = ward_admin.get(f"/api/v1/wards/{WARD}/audit?cursor=bm9wZQ")
    assert bad.status_code == 422


def test_record_costs_one_insert_and_no_query(app, ward_admin, count_statements):
    """Writing an entry adds one INSERT at the next flush, nothing else."""
    with app.app_context():
        user = db.session.get(User, ward_admin.user_id)

        def act():
            record("notice.published", "notice", 1, "Thông báo", ward_code=WARD, actor=user)
            db.session.flush()

        _, sent = count_statements(act)
        db.session.rollback()
    assert [statement.split()[0] for statement in sent] == ["INSERT"]


def test_a_page_costs_the_same_whatever_its_size(app, ward_admin, count_statements):
    """Actor names come in the page's one query (no query per entry)."""
    write(app, 12, actor=ward_admin.user_id)

    def fetch(n: int):
        return ward_admin.get(f"/api/v1/wards/{WARD}/audit?limit={n}&action=notice.")

    assert_flat_cost(count_statements, fetch)


def test_every_act_has_a_vietnamese_name_and_an_undeclared_one_is_refused(app, ward_admin):
    """The consoles show `action_label`; an act nobody named cannot be recorded."""
    with app.app_context():
        with pytest.raises(ValueError, match="not declared"):
            record("notice.teleported", "notice", 1, "Thông báo", ward_code=WARD)
        db.session.rollback()
        record("notice.published", "notice", 1, "Lịch cắt điện", ward_code=WARD)
        db.session.commit()
    entry = audit_of(ward_admin)[0]
    assert entry["action_label"] == "Đăng thông báo"
    assert all(label and label[0].isupper() for label in ACTIONS.values())
