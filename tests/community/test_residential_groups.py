"""The registry of residential groups: kept by the ward's staff, the indicator's denominator."""

import io

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.extensions import db
from tests.community.conftest import OTHER_WARD, WARD
from tests.conftest import assert_flat_cost, grant

GROUPS = f"/api/v1/wards/{WARD}/residential-groups"
IMPORT = f"{GROUPS}/import"


def count_groups(app) -> int:
    from community.groups.models import ResidentialGroup

    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(ResidentialGroup))


def listed(api, url=GROUPS) -> list[dict]:
    response = api.get(url)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def add(api, name, kind="to_dan_pho", households=100, ward=WARD):
    return api.post(
        f"/api/v1/wards/{ward}/residential-groups",
        json={"name": name, "kind": kind, "households": households},
    )


def patch(api, group_id, body):
    return api.client.patch(
        f"/api/v1/residential-groups/{group_id}", json=body, headers=api.headers
    )


def upload(api, content: bytes, *, filename="danh-sach.csv", headers=None):
    # Encoded here, in memory: the test client would spool a large body to a temporary file
    # it never closes (a ResourceWarning, an error under filterwarnings = error).
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(content), filename)})
    return api.client.post(
        IMPORT,
        data=body,
        headers={**api.headers, **(headers or {})},
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def community(api, name, kind="to_dan_pho", group_id=None):
    body = {"name": name, "kind": kind}
    if group_id is not None:
        body["residential_group_id"] = group_id
    return api.post(f"/api/v1/wards/{WARD}/communities", json=body)


def line_errors(response) -> dict[str, str]:
    """Return {"Dòng N": message} of a refused import."""
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "validation_error"
    assert {e["field"] for e in error["details"]["errors"]} == {"file"}
    return {e["label"]: e["message"] for e in error["details"]["errors"]}


# --- keeping the registry by hand ------------------------------------------------------------


def test_staff_add_groups_and_anyone_lists_them(api, staff):
    """A group is added with its kind and households; the list is public, with labels."""
    api.login(staff)
    created = add(api, "Tổ dân phố số 1", households=124)
    assert created.status_code == 201, created.get_json()
    assert add(api, "Thôn Đông", kind="thon", households=0).status_code == 201
    body = created.get_json()
    assert body["name"] == "Tổ dân phố số 1"
    assert (body["kind"], body["kind_label"], body["households"]) == (
        "to_dan_pho",
        "Tổ dân phố",
        124,
    )
    assert body["community"] is None

    api.logout()
    items = listed(api, "/api/v1/wards/hoan-kiem/residential-groups")
    assert [(g["name"], g["kind_label"]) for g in items] == [
        ("Tổ dân phố số 1", "Tổ dân phố"),
        ("Thôn Đông", "Thôn"),
    ]
    assert listed(api, f"/api/v1/wards/{OTHER_WARD}/residential-groups") == []


def test_the_list_is_paged(api, staff):
    """The list follows the contract's envelope: ?limit= and an opaque cursor."""
    api.login(staff)
    for n in range(1, 6):
        assert add(api, f"Tổ dân phố số {n}").status_code == 201
    first = api.get(f"{GROUPS}?limit=2").get_json()
    assert [g["name"] for g in first["items"]] == ["Tổ dân phố số 1", "Tổ dân phố số 2"]
    second = api.get(f"{GROUPS}?limit=2&cursor={first['next_cursor']}").get_json()
    assert [g["name"] for g in second["items"]] == ["Tổ dân phố số 3", "Tổ dân phố số 4"]
    assert api.get(f"{GROUPS}?cursor=xyz").status_code == 422


def test_only_the_wards_staff_keep_the_registry(app, api, people, others, staff):
    """Visitors 401; residents and another ward's staff 403, for every change."""
    api.login(staff)
    group = add(api, "Tổ dân phố số 1").get_json()
    api.logout()
    assert add(api, "Tổ dân phố số 2").status_code == 401
    assert patch(api, group["id"], {"households": 1}).status_code == 401
    assert api.delete(f"/api/v1/residential-groups/{group['id']}").status_code == 401
    assert upload(api, b"name,kind,households\r\nTo 9,thon,1\r\n").status_code == 401

    grant(app, others[0], "ward_admin", ward=OTHER_WARD)
    for sub in (people[3], others[0]):
        api.login(sub)
        refused = add(api, "Tổ dân phố số 2")
        assert refused.status_code == 403
        assert "cán bộ" in refused.get_json()["error"]["message"]
        assert patch(api, group["id"], {"households": 1}).status_code == 403
        assert api.delete(f"/api/v1/residential-groups/{group['id']}").status_code == 403
        assert upload(api, b"name,kind,households\r\nTo 9,thon,1\r\n").status_code == 403
    assert count_groups(app) == 1
    api.login(staff)
    assert listed(api)[0]["households"] == 100


@pytest.mark.parametrize(
    "again",
    ["Tổ dân phố số 1", "to dan pho so 1", "TỔ DÂN PHỐ  SỐ 1", " Tổ Dân Phố Số 1 "],
)
def test_a_name_the_registry_has_is_a_conflict_with_or_without_diacritics(api, staff, again):
    """Names are compared without case, diacritics or extra spaces: 409 in Vietnamese."""
    api.login(staff)
    assert add(api, "Tổ dân phố số 1").status_code == 201
    duplicate = add(api, again)
    assert duplicate.status_code == 409
    error = duplicate.get_json()["error"]
    assert error["code"] == "residential_group_exists"
    assert "đã có tổ dân phố, thôn mang tên này" in error["message"]
    assert error["details"]["errors"][0]["field"] == "name"


def test_the_same_name_in_another_ward_is_fine(app, api, others, staff):
    """Uniqueness is per ward."""
    grant(app, others[0], "ward_admin", ward=OTHER_WARD)
    api.login(staff)
    assert add(api, "Tổ dân phố số 1").status_code == 201
    api.login(others[0])
    assert add(api, "Tổ dân phố số 1", ward=OTHER_WARD).status_code == 201


def test_bad_input_is_refused_by_field_in_vietnamese(api, staff):
    """Blank names, unknown kinds, negative households and unknown fields are 422."""
    api.login(staff)
    cases = [
        ({"name": "   ", "kind": "thon"}, "name"),
        ({"name": "Tổ 1", "kind": "chi_bo"}, "kind"),
        ({"name": "Tổ 1", "kind": "thon", "households": -1}, "households"),
        ({"name": "Tổ 1", "kind": "thon", "households": "12"}, "households"),
        ({"name": "x" * 121, "kind": "thon"}, "name"),
        ({"name": "Tổ 1", "kind": "thon", "leader": "A"}, "leader"),
    ]
    for body, field in cases:
        response = api.post(GROUPS, json=body)
        assert response.status_code == 422, body
        errors = response.get_json()["error"]["details"]["errors"]
        assert [e["field"] for e in errors] == [field], body
        assert all(e["message"].isascii() is False for e in errors), errors


def test_staff_change_and_remove_a_group(api, staff):
    """PATCH changes what it names; a rename onto another group's name is 409; DELETE is 204."""
    api.login(staff)
    one = add(api, "Tổ dân phố số 1").get_json()
    add(api, "Tổ dân phố số 2")
    changed = patch(api, one["id"], {"name": "Tổ dân phố số 1A", "households": 90})
    assert changed.status_code == 200, changed.get_json()
    assert (changed.get_json()["name"], changed.get_json()["households"]) == (
        "Tổ dân phố số 1A",
        90,
    )
    assert patch(api, one["id"], {"name": "to dan pho so 2"}).status_code == 409
    assert patch(api, one["id"], {"name": "TỔ DÂN PHỐ SỐ 1A"}).status_code == 200
    assert patch(api, 999999, {"households": 1}).status_code == 404
    assert api.delete(f"/api/v1/residential-groups/{one['id']}").status_code == 204
    assert api.delete(f"/api/v1/residential-groups/{one['id']}").status_code == 404
    assert [g["name"] for g in listed(api)] == ["Tổ dân phố số 2"]


def test_the_list_costs_as_much_for_12_groups_as_for_2(api, staff, count_statements):
    """Each group's community and whether it runs come in the list's one statement (no N+1)."""
    api.login(staff)
    for n in range(1, 13):
        group = add(api, f"Tổ dân phố số {n}").get_json()
        if n % 2:  # half of them have a community
            assert community(api, f"TDP {n}", group_id=group["id"]).status_code == 201
    assert_flat_cost(count_statements, lambda n: api.get(f"{GROUPS}?limit={n}"))


# --- a community names its group --------------------------------------------------------------


def test_a_community_names_its_group_and_the_list_shows_it(api, staff):
    """A new community may name a group of its ward and kind that has none yet; else 422."""
    api.login(staff)
    to = add(api, "Tổ dân phố số 1").get_json()
    thon = add(api, "Thôn Đoài", kind="thon").get_json()

    made = community(api, "Tổ dân phố số 1", group_id=to["id"])
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["residential_group_id"] == to["id"]
    (first, _) = listed(api)
    assert first["community"] == {
        "id": made.get_json()["id"],
        "name": "Tổ dân phố số 1",
        "active": False,
    }

    for group_id, kind, said in [
        (to["id"], "to_dan_pho", "đã có cộng đồng số"),
        (thon["id"], "to_dan_pho", "loại phải trùng nhau"),
        (999999, "to_dan_pho", "Không có tổ dân phố, thôn này"),
    ]:
        refused = community(api, f"Cộng đồng {group_id} {kind}", kind=kind, group_id=group_id)
        assert refused.status_code == 422, refused.get_json()
        (error,) = refused.get_json()["error"]["details"]["errors"]
        assert error["field"] == "residential_group_id"
        assert said in error["message"]
    assert community(api, "Chi bộ 1", kind="chi_bo").get_json()["residential_group_id"] is None


def test_a_group_of_another_ward_cannot_be_named(app, api, others, staff):
    """A group of another ward is as unknown as a group that does not exist."""
    grant(app, others[0], "ward_admin", ward=OTHER_WARD)
    api.login(others[0])
    elsewhere = add(api, "Tổ dân phố số 1", ward=OTHER_WARD).get_json()
    api.login(staff)
    refused = community(api, "Tổ dân phố số 1", group_id=elsewhere["id"])
    assert refused.status_code == 422


def test_staff_link_and_unlink_an_existing_community_from_the_group(api, staff):
    """PATCH community_id links a community made earlier; null unlinks; kinds must match."""
    api.login(staff)
    group = add(api, "Tổ dân phố số 3").get_json()
    earlier = community(api, "TDP 3").get_json()
    chi_bo = community(api, "Chi bộ 3", kind="chi_bo").get_json()

    mismatch = patch(api, group["id"], {"community_id": chi_bo["id"]})
    assert mismatch.status_code == 422
    assert mismatch.get_json()["error"]["details"]["errors"][0]["field"] == "community_id"
    linked = patch(api, group["id"], {"community_id": earlier["id"]})
    assert linked.status_code == 200, linked.get_json()
    assert linked.get_json()["community"]["id"] == earlier["id"]
    assert (
        api.get(f"/api/v1/communities/{earlier['id']}").get_json()["residential_group_id"]
        == group["id"]
    )

    # The kind cannot change under a linked community; another group cannot take it.
    assert patch(api, group["id"], {"kind": "thon"}).status_code == 422
    other = add(api, "Tổ dân phố số 4").get_json()
    taken = patch(api, other["id"], {"community_id": earlier["id"]})
    assert taken.status_code == 422
    assert "đã gắn" in taken.get_json()["error"]["message"]

    unlinked = patch(api, group["id"], {"community_id": None})
    assert unlinked.get_json()["community"] is None
    assert patch(api, other["id"], {"community_id": earlier["id"]}).status_code == 200


def test_removing_a_group_keeps_its_community_unlinked(api, staff):
    """Deleting a group leaves its community in place with no group."""
    api.login(staff)
    group = add(api, "Tổ dân phố số 5").get_json()
    made = community(api, "Tổ dân phố số 5", group_id=group["id"]).get_json()
    assert api.delete(f"/api/v1/residential-groups/{group['id']}").status_code == 204
    shown = api.get(f"/api/v1/communities/{made['id']}").get_json()
    assert shown["residential_group_id"] is None
    again = add(api, "Tổ dân phố số 5").get_json()
    assert community(api, "Tổ dân phố số 5 mới", group_id=again["id"]).status_code == 201


# --- CSV import ------------------------------------------------------------------------------

GOOD_CSV = (
    "\ufeffname,kind,households\r\n"
    "Tổ dân phố số 1,to_dan_pho,120\r\n"
    '"Tổ dân phố số 2, khu tập thể",Tổ dân phố,85\r\n'
    "Thôn Đông,Thôn,64\r\n"
    "Thôn Đoài,thon,\r\n"
    ",,\r\n"
)


def test_a_good_file_from_excel_is_imported(app, api, staff):
    """BOM, CRLF, quoted commas, Vietnamese labels for kinds, an empty households cell."""
    api.login(staff)
    response = upload(api, GOOD_CSV.encode("utf-8"))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["created"], body["updated"]) == (4, 0)
    assert [(g["name"], g["kind"], g["households"]) for g in body["items"]] == [
        ("Tổ dân phố số 1", "to_dan_pho", 120),
        ("Tổ dân phố số 2, khu tập thể", "to_dan_pho", 85),
        ("Thôn Đông", "thon", 64),
        ("Thôn Đoài", "thon", 0),
    ]
    assert count_groups(app) == 4


def test_an_import_updates_names_already_in_the_registry(app, api, staff):
    """A name the registry has (without diacritics or case) updates that group."""
    api.login(staff)
    kept = add(api, "Tổ dân phố số 1", households=10).get_json()
    content = "name;kind;households\nto dan pho so 1;tổ dân phố;130\nTổ dân phố số 9;TO_DAN_PHO;7\n"
    response = upload(api, content.encode("utf-8"))  # Excel in a Vietnamese locale uses ";"
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["created"], body["updated"]) == (1, 1)
    assert body["items"][0]["id"] == kept["id"]
    assert (body["items"][0]["name"], body["items"][0]["households"]) == ("to dan pho so 1", 130)
    assert count_groups(app) == 2


def test_the_vietnamese_header_is_understood(api, staff):
    """`Tên,Loại,Số hộ` (as people type it) is the same header as the contract's."""
    api.login(staff)
    response = upload(api, "Tên,Loại,Số hộ\nThôn Trung,thôn,40\n".encode())
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["items"][0]["kind"] == "thon"


def test_a_bad_file_names_every_bad_line_and_writes_nothing(app, api, staff):
    """Unknown kind, negative households, blank name, duplicate lines: all named, none written."""
    api.login(staff)
    add(api, "Tổ dân phố số 1")
    content = (
        "name,kind,households\r\n"
        "Tổ dân phố số 2,to_dan_pho,10\r\n"  # 2: good
        "Tổ dân phố số 3,khu phố,10\r\n"  # 3: unknown kind
        "Tổ dân phố số 4,to_dan_pho,-5\r\n"  # 4: negative households
        " ,thon,10\r\n"  # 5: blank name
        "TỔ DÂN PHỐ SỐ 2,to_dan_pho,11\r\n"  # 6: same as line 2
        "Thôn Bắc,thon,mười\r\n"  # 7: not a number
        "Thôn Nam,thon,5,ghi chú\r\n"  # 8: one cell too many
    )
    errors = line_errors(upload(api, content.encode("utf-8")))
    assert sorted(errors, key=lambda label: int(label.split()[1])) == [
        "Dòng 3",
        "Dòng 4",
        "Dòng 5",
        "Dòng 6",
        "Dòng 7",
        "Dòng 8",
    ]
    assert "Loại" in errors["Dòng 3"] and "Thôn" in errors["Dòng 3"]
    assert "Số hộ" in errors["Dòng 4"]
    assert "Tên tổ dân phố, thôn" in errors["Dòng 5"]
    assert "Trùng tên với dòng 2" in errors["Dòng 6"]
    assert "Số hộ" in errors["Dòng 7"]
    assert "nhiều cột" in errors["Dòng 8"]
    assert count_groups(app) == 1


def test_a_wrong_header_is_named(api, staff):
    """The header must hold name, kind and households."""
    api.login(staff)
    errors = line_errors(upload(api, b"ten to,loai,so nha\nTo 1,thon,1\n"))
    assert list(errors) == ["Dòng 1"]
    assert "name,kind,households" in errors["Dòng 1"]


def test_a_windows_1258_file_is_refused_with_how_to_save_it(app, api, staff):
    """An old Excel's Windows-1258 file is refused, telling the person to save as CSV UTF-8."""
    api.login(staff)
    content = "name,kind,households\r\nThôn Đông,thon,120\r\n".encode("cp1258")
    response = upload(api, content)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert "CSV UTF-8" in error["message"]
    assert error["details"]["errors"][0]["field"] == "file"
    assert count_groups(app) == 0


def test_empty_oversized_and_overlong_files_are_refused(app, api, staff, monkeypatch):
    """No lines, more than 1 MB or more than 2,000 lines: a clear refusal, nothing written."""
    from community.groups import registry

    api.login(staff)
    assert upload(api, b"").status_code == 422
    assert (
        "chỉ có dòng tiêu đề"
        in upload(api, b"name,kind,households\r\n").get_json()["error"]["message"]
    )
    too_big = upload(api, b"name,kind,households\n" + b"a" * registry.MAX_IMPORT_BYTES)
    assert too_big.status_code == 413
    assert "1 MB" in too_big.get_json()["error"]["message"]
    monkeypatch.setattr(registry, "MAX_IMPORT_ROWS", 3)
    rows = "".join(f"Tổ {n},to_dan_pho,{n}\n" for n in range(4))
    overlong = upload(api, f"name,kind,households\n{rows}".encode())
    assert overlong.status_code == 422
    assert "tối đa 3" in overlong.get_json()["error"]["message"]
    assert count_groups(app) == 0


def test_an_import_never_changes_the_kind_under_a_linked_community(app, api, staff):
    """A line that would make a linked tổ dân phố a thôn is named; nothing is written."""
    api.login(staff)
    group = add(api, "Tổ dân phố số 1").get_json()
    assert community(api, "TDP 1", group_id=group["id"]).status_code == 201
    content = "name,kind,households\nTổ dân phố số 7,to_dan_pho,3\nTổ dân phố số 1,thon,9\n"
    errors = line_errors(upload(api, content.encode()))
    assert list(errors) == ["Dòng 3"]
    assert count_groups(app) == 1


def test_an_import_retried_with_its_key_is_replayed(app, api, staff):
    """The import honours Idempotency-Key like every create."""
    api.login(staff)
    key = {"Idempotency-Key": "import-registry-0001"}
    first = upload(api, GOOD_CSV.encode(), headers=key)
    second = upload(api, GOOD_CSV.encode(), headers=key)
    assert first.status_code == second.status_code == 200
    assert second.get_json() == first.get_json()
    assert second.headers["Idempotent-Replayed"] == "true"
    other = upload(api, GOOD_CSV.replace("120", "121").encode(), headers=key)
    assert other.status_code == 422
    assert count_groups(app) == 4


def test_a_double_tap_on_add_creates_one_group(app, api, staff):
    """POST with Idempotency-Key: one group, the same answer twice."""
    api.login(staff)
    headers = {**api.headers, "Idempotency-Key": "add-group-000001"}
    body = {"name": "Tổ dân phố số 8", "kind": "to_dan_pho", "households": 40}
    first = api.client.post(GROUPS, json=body, headers=headers)
    second = api.client.post(GROUPS, json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.get_json() == second.get_json()
    assert count_groups(app) == 1


# --- the indicator ---------------------------------------------------------------------------


def kpi(api, ward=WARD) -> dict:
    body = api.get(f"/api/v1/kpi?ward={ward}").get_json()
    return next(i for i in body["items"][0]["indicators"] if i["id"] == "residential_groups_active")


def test_the_indicator_divides_active_linked_communities_by_the_registry(
    api, people, staff, join, appoint
):
    """4 groups; 3 with a community, 2 of them active (a leader, 3 members): 2 ÷ 4 = 0.5."""
    api.login(staff)
    ids = [add(api, f"Tổ dân phố số {n}").get_json()["id"] for n in range(1, 5)]
    made = [community(api, f"TDP {n}", group_id=ids[n]).get_json() for n in range(3)]
    # A community with no group counts for nothing, however active.
    unlinked = community(api, "Tổ tự quản").get_json()
    for index, each in enumerate([made[0], made[1], unlinked]):
        appoint(people[1 + index], each)
        join(people[4], each)
        join(people[5], each)
    appoint(people[3], made[2])  # a leader and one member: not active
    join(people[6], made[2])

    found = kpi(api)
    assert (found["numerator"], found["denominator"], found["value"]) == (2, 4, 0.5)
    assert found["target"] == 1.0
    items = listed(api)
    assert [g["community"] and g["community"]["active"] for g in items] == [True, True, False, None]

    # A member leaving makes a community inactive again.
    api.login(people[5])
    assert api.delete(f"/api/v1/communities/{made[1]['id']}/membership").status_code == 204
    found = kpi(api)
    assert (found["numerator"], found["denominator"], found["value"]) == (1, 4, 0.25)


def test_a_ward_without_a_registry_has_no_data(api, staff, make_community):
    """Communities alone are no denominator: without a registry the indicator has no data."""
    make_community("Tổ dân phố số 1")
    found = kpi(api)
    assert found["value"] is None
    assert found["status"] == "no_data"
    assert (found["deadline"], found["source"]) == (
        "2026-12-31",
        "Kế hoạch chuyển đổi số năm 2026, mục III",
    )


# --- personal data ---------------------------------------------------------------------------


def test_the_public_list_names_no_person_and_no_invite_code(api, people, staff, appoint):
    """The registry is about groups: no leader, member, invite code or author in the list."""
    api.login(staff)
    group = add(api, "Tổ dân phố số 1").get_json()
    made = community(api, "TDP 1", group_id=group["id"]).get_json()
    appoint(people[2], made)
    api.logout()
    (item,) = listed(api)
    assert set(item) == {"id", "ward", "name", "kind", "kind_label", "households", "community"}
    assert set(item["community"]) == {"id", "name", "active"}
    assert made["invite_code"] not in str(item)


def test_a_persons_data_export_and_erasure_leave_the_registry_alone(api, people, staff, join):
    """The registry holds no personal data: erasing a member changes counts, not groups."""
    api.login(staff)
    group = add(api, "Tổ dân phố số 1").get_json()
    made = community(api, "TDP 1", group_id=group["id"]).get_json()
    join(people[4], made)
    data = api.get("/api/v1/me/data").get_json()
    assert "residential_groups" not in data
    assert api.delete("/api/v1/me").status_code == 204
    api.logout()
    (item,) = listed(api)
    assert item["community"]["id"] == made["id"]


# --- demo data -------------------------------------------------------------------------------


def test_demo_gives_each_pilot_ward_a_registry_with_its_communities_linked(app, api):
    """`flask demo load` (twice: idempotent) lists tổ dân phố or thôn and links the demo ones."""
    from app.identity.demo import PILOT_WARDS

    runner = app.test_cli_runner()
    for _ in range(2):
        assert runner.invoke(args=["demo", "load"]).exit_code == 0
    assert count_groups(app) == 5 * len(PILOT_WARDS)
    for ward in PILOT_WARDS:
        items = listed(api, f"/api/v1/wards/{ward}/residential-groups")
        assert len(items) == 5
        assert {g["kind"] for g in items} == (
            {"thon"} if ward in ("00424", "09661") else {"to_dan_pho"}
        )
    hoan_kiem = listed(api)
    assert [g["community"]["active"] if g["community"] else None for g in hoan_kiem] == [
        True,
        False,
        None,
        None,
        None,
    ]
    assert kpi(api)["value"] == 0.2


def test_an_import_with_empty_households_keeps_the_known_count(api, staff):
    """An empty households cell says "not known here": a new group gets 0, a group already in
    the registry keeps its count. A header ending with an empty cell (as Excel may save it)
    is the template's header."""
    api.login(staff)
    add(api, "Tổ dân phố số 1", households=120)
    content = (
        "name,kind,households,\r\nTổ dân phố số 1,to_dan_pho,\r\nTổ dân phố số 2,to_dan_pho,\r\n"
    )
    response = upload(api, content.encode("utf-8-sig"))
    assert response.status_code == 200, response.get_json()
    assert (response.get_json()["created"], response.get_json()["updated"]) == (1, 1)
    by_name = {g["name"]: g["households"] for g in listed(api)}
    assert by_name == {"Tổ dân phố số 1": 120, "Tổ dân phố số 2": 0}
