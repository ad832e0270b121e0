"""City templates, ward overrides, template reach and change summaries (pure, no app)."""

import copy
from types import SimpleNamespace

import pytest
from vietnam_provinces import ProvinceCode, VietNamDivisionType, Ward

from miniapps.config.document import ConfigValidationError, validate_document
from miniapps.config.templates import (
    deep_merge,
    diff_paths,
    effective_config,
    extract_overrides,
    overridden_paths,
    summarize_changes,
    template_for,
    wards_reached,
)

HOAN_KIEM = {"code": "00070", "name": "Phường Hoàn Kiếm", "type": "phuong"}
DA_PHUC = {"code": "00424", "name": "Xã Đa Phúc", "type": "xa"}
# Built from the default installation's modules (no app: their manifests are imported).
PHUONG_TEMPLATE = template_for("phuong")
XA_TEMPLATE = template_for("xa")


def ids(document):
    """Return the module ids of a document, in order."""
    return [m["id"] for m in document["modules"]]


def module(document, module_id):
    """Return the module of that id in a document."""
    return next(m for m in document["modules"] if m["id"] == module_id)


@pytest.mark.parametrize(
    ("template", "ward"), [(PHUONG_TEMPLATE, HOAN_KIEM), (XA_TEMPLATE, DA_PHUC)]
)
def test_templates_give_valid_documents(template, ward):
    document = effective_config(template=template, overrides={}, ward=ward)
    assert validate_document(document) == {}
    assert document["ward"] == ward
    assert document["app"]["title"] == ward["name"]
    assert document["contacts"]["office_address"] == f"Trụ sở UBND {ward['name']}"


def test_templates_differ_for_urban_and_rural():
    urban = effective_config(template=PHUONG_TEMPLATE, overrides={}, ward=HOAN_KIEM)
    rural = effective_config(template=XA_TEMPLATE, overrides={}, ward=DA_PHUC)
    assert ids(urban)[:5] == ["notices", "polls", "market", "communities", "contacts"]
    assert ids(rural)[:4] == ["notices", "communities", "polls", "contacts"]
    assert module(urban, "market")["enabled"] is True
    assert module(rural, "market")["enabled"] is False
    assert module(rural, "communities")["settings"]["kinds"][0] == "thon"
    assert module(urban, "communities")["settings"]["kinds"][0] == "to_dan_pho"
    assert "market" not in rural["tab_bar"]
    links = {m["id"] for m in urban["modules"] if m["kind"] == "link"}
    assert links == {"dich-vu-cong", "vneid"}
    # Field reports are the ward's own module now, not a link out of the app.
    assert module(urban, "phan-anh")["kind"] == "builtin"
    assert module(rural, "phan-anh")["enabled"] is True
    # So is booking at the ward office (issue 15), in every unit.
    assert module(urban, "dat-lich")["kind"] == "builtin"
    assert module(rural, "dat-lich")["enabled"] is True


def test_every_unit_of_ha_noi_gets_a_valid_config():
    types = {VietNamDivisionType.PHUONG: "phuong", VietNamDivisionType.XA: "xa"}
    units = list(Ward.iter_by_province(ProvinceCode.P_01))
    assert len(units) == 126
    for unit in units:
        # An object with attributes, as the ward model would be passed.
        ward = SimpleNamespace(
            code=f"{int(unit.code):05d}", name=unit.name, type=types[unit.division_type]
        )
        document = effective_config(template=template_for(ward.type), overrides={}, ward=ward)
        assert document["ward"]["code"] == ward.code


def test_template_for_returns_a_copy():
    template = template_for("xa")
    template["modules"].clear()
    assert XA_TEMPLATE["modules"]


# --- merge -----------------------------------------------------------------------------------


def test_deep_merge_objects_recursively_and_replaces_lists_and_scalars():
    base = {"a": {"x": 1, "y": {"z": 2}}, "l": [1, 2, 3], "s": "old", "keep": True}
    override = {"a": {"y": {"w": 3}}, "l": [9], "s": "new", "extra": {"k": 1}}
    merged = deep_merge(base, override)
    assert merged == {
        "a": {"x": 1, "y": {"z": 2, "w": 3}},
        "l": [9],
        "s": "new",
        "keep": True,
        "extra": {"k": 1},
    }
    assert base["a"]["y"] == {"z": 2}, "the base is not modified"


def test_deep_merge_null_removes_a_key():
    merged = deep_merge(PHUONG_TEMPLATE, {"app": {"subtitle": None}})
    assert "subtitle" not in merged["app"]
    assert "theme" in merged["app"]


def test_one_module_can_be_disabled_without_copying_the_list():
    overrides = {
        "modules": [{"id": "market", "enabled": False}],
        "tab_bar": ["notices", "polls", "communities", "contacts"],
    }
    document = effective_config(template=PHUONG_TEMPLATE, overrides=overrides, ward=HOAN_KIEM)
    assert ids(document) == [m["id"] for m in PHUONG_TEMPLATE["modules"]]
    assert module(document, "market")["enabled"] is False
    assert module(document, "market")["title"] == module(PHUONG_TEMPLATE, "market")["title"]


def test_module_settings_merge_by_key():
    overrides = {"modules": [{"id": "market", "settings": {"zone_ids": [3, 7]}}]}
    document = effective_config(template=PHUONG_TEMPLATE, overrides=overrides, ward=HOAN_KIEM)
    assert module(document, "market")["settings"] == {"zone_ids": [3, 7], "show_ocop": True}


def test_a_ward_can_add_its_own_link_module():
    festival = {
        "id": "le-hoi",
        "kind": "link",
        "title": "Lễ hội làng",
        "icon": "calendar",
        "enabled": True,
        "settings": {"url": "https://lehoi.example.vn"},
    }
    document = effective_config(
        template=XA_TEMPLATE, overrides={"modules": [festival]}, ward=DA_PHUC
    )
    assert ids(document)[-1] == "le-hoi"


def test_module_order_reorders_and_drops():
    order = ["contacts", "notices", "polls", "communities", "market"]
    document = effective_config(
        template=PHUONG_TEMPLATE, overrides={"module_order": order}, ward=HOAN_KIEM
    )
    assert ids(document) == order


def test_orphan_patch_is_dropped():
    template = copy.deepcopy(XA_TEMPLATE)
    template["modules"] = [m for m in template["modules"] if m["id"] != "vneid"]
    overrides = {"modules": [{"id": "vneid", "enabled": False}]}
    document = effective_config(template=template, overrides=overrides, ward=DA_PHUC)
    assert "vneid" not in ids(document)


def test_overrides_cannot_change_the_ward_block():
    overrides = {"ward": {"code": "99999", "name": "Giả mạo", "type": "xa"}}
    document = effective_config(template=PHUONG_TEMPLATE, overrides=overrides, ward=HOAN_KIEM)
    assert document["ward"] == HOAN_KIEM


def test_invalid_overrides_raise_naming_the_field():
    with pytest.raises(ConfigValidationError) as caught:
        effective_config(
            template=PHUONG_TEMPLATE,
            overrides={"modules": [{"id": "market", "enabled": False}]},
            ward=HOAN_KIEM,
        )
    assert list(caught.value.errors) == ["tab_bar.2"]


def _disable_market(document):
    """Switch the market off and drop it from the tab bar."""
    module(document, "market")["enabled"] = False
    document["tab_bar"] = ["notices", "polls"]


def _add_library_link(document):
    """Append a ward's own link module."""
    document["modules"].append(
        {
            "id": "thu-vien",
            "kind": "link",
            "title": "Thư viện",
            "icon": "file-text",
            "enabled": True,
            "settings": {"url": "https://thuvien.example.vn"},
        }
    )


@pytest.mark.parametrize(
    "edit",
    [
        lambda d: None,
        lambda d: d["app"].update(title="Hoàn Kiếm số", logo="/static/logos/00070.png"),
        lambda d: d["app"].pop("subtitle"),
        _disable_market,
        lambda d: module(d, "notices")["settings"].update(page_size=10),
        lambda d: d["modules"].reverse(),
        lambda d: d.update(modules=d["modules"][:5]),
        _add_library_link,
    ],
)
def test_extract_overrides_round_trips(edit):
    document = effective_config(template=PHUONG_TEMPLATE, overrides={}, ward=HOAN_KIEM)
    edit(document)
    overrides = extract_overrides(template=PHUONG_TEMPLATE, document=document, ward=HOAN_KIEM)
    rebuilt = effective_config(template=PHUONG_TEMPLATE, overrides=overrides, ward=HOAN_KIEM)
    assert rebuilt == document


def test_extract_overrides_is_minimal():
    document = effective_config(template=PHUONG_TEMPLATE, overrides={}, ward=HOAN_KIEM)
    assert extract_overrides(template=PHUONG_TEMPLATE, document=document, ward=HOAN_KIEM) == {}
    module(document, "polls")["title"] = "Lấy ý kiến"
    assert extract_overrides(template=PHUONG_TEMPLATE, document=document, ward=HOAN_KIEM) == {
        "modules": [{"id": "polls", "title": "Lấy ý kiến"}]
    }


# --- paths and reach -------------------------------------------------------------------------


def test_overridden_paths():
    overrides = {
        "app": {"title": "X", "theme": {"light": {"primary": "#000000"}}},
        "modules": [{"id": "market", "enabled": False, "settings": {"zone_ids": [1]}}],
        "tab_bar": ["notices", "polls"],
        "module_order": ["notices", "polls"],
        "contacts": {},
    }
    assert overridden_paths(overrides) == {
        "app.title",
        "app.theme.light.primary",
        "modules.market.enabled",
        "modules.market.settings.zone_ids",
        "tab_bar",
        "module_order",
    }


def test_wards_reached_skips_wards_that_override_the_changed_field():
    overrides_by_ward = {
        "00070": {},
        "00071": {"app": {"theme": {"light": {"primary": "#123456"}}}},
        "00072": {"app": {"theme": {"light": None}}},  # removed the whole light theme key
        "00073": {"modules": [{"id": "market", "enabled": False}], "tab_bar": ["notices", "polls"]},
    }
    assert wards_reached(
        template_change_paths=["app.theme.light.primary"], overrides_by_ward=overrides_by_ward
    ) == ["00070", "00073"]
    assert wards_reached(
        template_change_paths=["modules.market.enabled"], overrides_by_ward=overrides_by_ward
    ) == ["00070", "00071", "00072"]
    assert wards_reached(
        template_change_paths=["modules.market.title", "tab_bar"],
        overrides_by_ward=overrides_by_ward,
    ) == ["00070", "00071", "00072", "00073"]
    assert wards_reached(template_change_paths=[], overrides_by_ward=overrides_by_ward) == []


def test_wards_reached_respects_module_order():
    overrides_by_ward = {"a": {}, "b": {"module_order": ["notices", "polls", "contacts"]}}
    assert wards_reached(
        template_change_paths=["modules.weather"], overrides_by_ward=overrides_by_ward
    ) == ["a"]
    assert wards_reached(
        template_change_paths=["modules.polls.title"], overrides_by_ward=overrides_by_ward
    ) == ["a", "b"]
    assert wards_reached(
        template_change_paths=["module_order"], overrides_by_ward=overrides_by_ward
    ) == ["a"]


def test_wards_reached_agrees_with_effective_configs():
    new_template = copy.deepcopy(PHUONG_TEMPLATE)
    new_template["app"]["theme"]["light"]["primary"] = "#0D47A1"
    module(new_template, "polls")["title"] = "Lấy ý kiến cư dân"
    overrides_by_ward = {
        "00070": {},
        "00073": {
            "app": {"theme": {"light": {"primary": "#000000"}}},
            "modules": [{"id": "polls", "title": "Bỏ phiếu"}],
        },
    }
    changes = diff_paths(PHUONG_TEMPLATE, new_template)
    assert changes == ["app.theme.light.primary", "modules.polls.title"]
    reached = wards_reached(template_change_paths=changes, overrides_by_ward=overrides_by_ward)
    for code, overrides in overrides_by_ward.items():
        ward = {**HOAN_KIEM, "code": code}
        before = effective_config(template=PHUONG_TEMPLATE, overrides=overrides, ward=ward)
        after = effective_config(template=new_template, overrides=overrides, ward=ward)
        assert (before != after) == (code in reached)


def test_diff_paths_names_modules_by_id():
    old = effective_config(template=PHUONG_TEMPLATE, overrides={}, ward=HOAN_KIEM)
    new = copy.deepcopy(old)
    module(new, "market")["enabled"] = False
    new["tab_bar"] = ["notices", "polls"]
    new["modules"] = [m for m in new["modules"] if m["id"] != "vneid"]
    new["modules"].insert(0, new["modules"].pop(1))
    assert diff_paths(old, new) == [
        "modules.market.enabled",
        "modules.vneid",
        "module_order",
        "tab_bar",
    ]
    assert diff_paths(old, old) == []


# --- summaries -------------------------------------------------------------------------------


def test_summarize_changes():
    old = effective_config(template=XA_TEMPLATE, overrides={}, ward=DA_PHUC)
    new = copy.deepcopy(old)
    new["app"]["title"] = "Đa Phúc số"
    module(new, "market")["enabled"] = True
    module(new, "market")["settings"]["zone_ids"] = [1]
    module(new, "market")["title"] = "Chợ Đa Phúc"
    new["tab_bar"] = ["notices", "market", "contacts"]
    assert summarize_changes(old, new) == (
        "Đổi app.title; sửa module market (title, settings); bật module market; đổi tab_bar"
    )


def test_summarize_changes_groups_and_limits():
    old = effective_config(template=PHUONG_TEMPLATE, overrides={}, ward=HOAN_KIEM)
    new = copy.deepcopy(old)
    for variant in ("light", "dark"):
        new["app"]["theme"][variant] = {
            "primary": "#000000",
            "background": "#000001",
            "text": "#000002",
        }
    assert summarize_changes(old, new) == "Đổi app.theme"
    assert summarize_changes(old, old) == "Không có thay đổi."
    assert summarize_changes(None, new) == "Tạo cấu hình ban đầu."
    many = copy.deepcopy(old)
    for m in many["modules"]:
        m["title"] = m["title"] + " mới"
    many["contacts"]["hotline"] = "024 3825 3536"
    many["min_host_version"] = "2.0.0"
    summary = summarize_changes(old, many)
    assert summary.startswith("Sửa module notices (title); sửa module polls (title);")
    assert summary.count("; ") == 8
    assert summary.endswith("; và 3 thay đổi khác")
