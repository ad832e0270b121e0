"""The config document schema, the module registry and the canonical form (pure, no app)."""

import copy
import json

import pytest

from app.registry import MiniappModule
from community import NoticesSettingsSchema
from community.groups.models import KINDS as COMMUNITY_KINDS
from community.notices.models import CATEGORIES
from community.polls.models import KINDS as POLL_KINDS
from miniapps.config.canonical import canonical_bytes, strong_etag
from miniapps.config.document import (
    ConfigValidationError,
    MiniappConfigSchema,
    flatten_errors,
    load_document,
    validate_document,
)
from miniapps.config.registry import (
    ICONS,
    LINK_PRESETS,
    check_modules,
    get_module,
    registered_modules,
)
from miniapps.config.templates import effective_config, template_for

HOAN_KIEM = {"code": "00070", "name": "Phường Hoàn Kiếm", "type": "phuong"}


@pytest.fixture
def document():
    """Return a valid document: the urban template applied to Hoàn Kiếm."""
    return effective_config(template=template_for("phuong"), overrides={}, ward=HOAN_KIEM)


def module(document, module_id):
    """Return the module of that id in a document."""
    return next(m for m in document["modules"] if m["id"] == module_id)


def errors_of(document):
    """Return the flat errors of a document, asserting it is invalid."""
    errors = validate_document(document)
    assert errors, "expected the document to be invalid"
    return errors


def test_valid_document_loads_unchanged(document):
    assert validate_document(document) == {}
    assert load_document(copy.deepcopy(document)) == document


@pytest.mark.parametrize("size", [0, 1, 6])
def test_tab_bar_must_have_two_to_five_entries(document, size):
    ids = [m["id"] for m in document["modules"]]
    document["tab_bar"] = (ids * 2)[:size]
    errors = errors_of(document)
    assert errors == {"tab_bar": ["Thanh tab phải có từ 2 đến 5 mục."]}


def test_tab_bar_naming_a_missing_module_is_refused(document):
    document["tab_bar"] = ["notices", "weather"]
    errors = errors_of(document)
    assert list(errors) == ["tab_bar.1"]
    assert "«weather»" in errors["tab_bar.1"][0]
    assert "không có trong danh sách module" in errors["tab_bar.1"][0]


def test_tab_bar_naming_a_disabled_module_is_refused(document):
    module(document, "market")["enabled"] = False
    errors = errors_of(document)
    assert list(errors) == ["tab_bar.2"]
    assert "đang tắt" in errors["tab_bar.2"][0]


def test_tab_bar_entries_are_unique(document):
    document["tab_bar"] = ["notices", "polls", "notices"]
    assert list(errors_of(document)) == ["tab_bar.2"]


def test_duplicate_module_ids_are_refused(document):
    document["modules"].append(copy.deepcopy(document["modules"][0]))
    errors = errors_of(document)
    last = len(document["modules"]) - 1
    assert list(errors) == [f"modules.{last}.id"]
    assert "bị trùng" in errors[f"modules.{last}.id"][0]


@pytest.mark.parametrize("colour", ["#fff", "C62828", "#C6282G", "red", "#C628281"])
def test_bad_colour_is_refused(document, colour):
    document["app"]["theme"]["dark"]["primary"] = colour
    assert errors_of(document) == {
        "app.theme.dark.primary": ["Màu phải có dạng #RRGGBB (ví dụ #C62828)."]
    }


def test_http_link_is_refused(document):
    module(document, "vneid")["settings"]["url"] = "http://vneid.gov.vn"
    index = document["modules"].index(module(document, "vneid"))
    errors = errors_of(document)
    assert list(errors) == [f"modules.{index}.settings.url"]
    assert "https://" in errors[f"modules.{index}.settings.url"][0]


@pytest.mark.parametrize(
    ("where", "path"),
    [
        (lambda d: d, "colour"),
        (lambda d: d["app"], "app.colour"),
        (lambda d: d["app"]["theme"]["light"], "app.theme.light.colour"),
        (lambda d: d["modules"][0], "modules.0.colour"),
        (lambda d: d["modules"][0]["settings"], "modules.0.settings.colour"),
        (lambda d: d["contacts"], "contacts.colour"),
    ],
)
def test_unknown_fields_are_refused_everywhere(document, where, path):
    where(document)["colour"] = "#000000"
    assert errors_of(document) == {path: ["Trường không được hỗ trợ."]}


def test_missing_required_fields_are_named(document):
    del document["app"]["title"]
    del document["contacts"]["hotline"]
    assert errors_of(document) == {
        "app.title": ["Thiếu trường bắt buộc."],
        "contacts.hotline": ["Thiếu trường bắt buộc."],
    }


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("schema_version",), 2),
        (("schema_version",), "1"),
        (("ward", "code"), "70"),
        (("ward", "type"), "quan"),
        (("app", "title"), ""),
        (("app", "title"), "   "),
        (("app", "title"), "x" * 61),
        (("app", "logo"), "http://example.vn/logo.png"),
        (("app", "logo"), "//evil.example/logo.png"),
        (("app", "logo"), "javascript:alert(1)"),
        (("contacts", "hotline"), "12345"),
        (("contacts", "hotline"), "hotline"),
        (("min_host_version",), "1.0"),
        (("min_host_version",), "v1.0.0"),
    ],
)
def test_field_rules(document, path, value):
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    errors = errors_of(document)
    assert list(errors) == [".".join(path)]


@pytest.mark.parametrize(
    "hotline", ["024 3825 3536", "0912.345.678", "+84 912 345 678", "1022", "113", "1900 1234"]
)
def test_vietnamese_phone_formats_are_accepted(document, hotline):
    document["contacts"]["hotline"] = hotline
    assert validate_document(document) == {}


@pytest.mark.parametrize("hotline", ["0912３４５678", "0912٣٤٥678", "+84 ９12 345 678"])
def test_phone_digits_of_other_scripts_are_refused(document, hotline):
    """Only ASCII digits: a full-width or Arabic-Indic digit is no digit a phone can dial."""
    document["contacts"]["hotline"] = hotline
    assert list(errors_of(document)) == ["contacts.hotline"]


@pytest.mark.parametrize("logo", ["/static/logos/00070.png", "https://cdn.hanoi.gov.vn/l.png"])
def test_logo_is_a_local_path_or_https(document, logo):
    document["app"]["logo"] = logo
    assert validate_document(document) == {}


def test_module_rules(document):
    document["modules"][0]["icon"] = "unicorn"
    document["modules"][1]["enabled"] = "yes"
    document["modules"][2]["id"] = "Chợ 4.0"
    document["tab_bar"] = ["notices", "contacts"]
    errors = errors_of(document)
    assert set(errors) == {"modules.0.icon", "modules.1.enabled", "modules.2.id"}
    assert "bộ biểu tượng" in errors["modules.0.icon"][0]


def test_builtin_kind_needs_a_registered_id(document):
    vneid = module(document, "vneid")
    vneid["kind"] = "builtin"
    index = document["modules"].index(vneid)
    errors = errors_of(document)
    assert list(errors) == [f"modules.{index}.id"]
    assert "notices" in errors[f"modules.{index}.id"][0]


def test_link_kind_cannot_take_a_builtin_id(document):
    notices = module(document, "notices")
    notices["kind"] = "link"
    notices["settings"] = {"url": "https://example.vn"}
    assert list(errors_of(document)) == ["modules.0.id"]


def test_builtin_settings_are_checked_by_their_manifest(document):
    module(document, "notices")["settings"] = {"show_categories": ["thoi_tiet"], "page_size": 500}
    module(document, "market")["settings"] = {"zone_ids": [1, 1]}
    errors = errors_of(document)
    assert set(errors) == {
        "modules.0.settings.show_categories.0",
        "modules.0.settings.page_size",
        "modules.2.settings.zone_ids",
    }
    assert "thong_tin_co_so" in errors["modules.0.settings.show_categories.0"][0]


def test_link_settings_need_a_url(document):
    module(document, "vneid")["settings"] = {}
    index = document["modules"].index(module(document, "vneid"))
    assert errors_of(document) == {f"modules.{index}.settings.url": ["Thiếu trường bắt buộc."]}


def test_not_an_object():
    assert validate_document(["x"]) == {"_schema": ["Phải là một đối tượng JSON."]}


def test_load_document_raises_with_flat_errors(document):
    document["tab_bar"] = ["notices"]
    with pytest.raises(ConfigValidationError) as caught:
        load_document(document)
    assert caught.value.errors == {"tab_bar": ["Thanh tab phải có từ 2 đến 5 mục."]}
    assert "Thanh tab: " in str(caught.value)
    assert [(e.field, e.label) for e in caught.value.field_errors] == [("tab_bar", "Thanh tab")]


def test_flatten_errors_keys_by_dotted_path():
    nested = {"app": {"theme": {"light": {"text": ["a"]}}}, "modules": {3: {"_schema": ["b"]}}}
    assert flatten_errors(nested) == {"app.theme.light.text": ["a"], "modules.3": ["b"]}


def test_schema_rejects_unknown_fields_by_default():
    errors = MiniappConfigSchema().validate({"extra": 1})
    assert errors["extra"] == ["Trường không được hỗ trợ."]


# --- registry --------------------------------------------------------------------------------


def test_installed_modules_bring_their_entries():
    """Each installed module declares its own entry, with its own settings schema."""
    assert {m.id for m in registered_modules()} == {
        "notices",
        "polls",
        "market",
        "communities",
        "contacts",
        "phan-anh",
        "dat-lich",
    }
    notices = get_module("notices")
    assert notices.title == "Thông báo"
    assert notices.icon in ICONS
    assert notices.settings_schema is NoticesSettingsSchema
    assert get_module("weather") is None


def test_entry_vocabularies_are_the_modules_own():
    """The settings accept exactly the codes the modules' models define, in their order."""
    assert get_module("notices").default_settings["show_categories"] == list(CATEGORIES)
    assert get_module("polls").default_settings["show_kinds"] == list(POLL_KINDS)
    assert get_module("communities").default_settings["kinds"] == list(COMMUNITY_KINDS)
    refused = get_module("polls").settings_schema().validate({"show_kinds": ["referendum"]})
    assert "show_kinds" in refused


def test_manifest_defaults_cannot_be_mutated():
    with pytest.raises(TypeError):
        get_module("market").default_settings["zone_ids"] = [1]  # type: ignore[index]


def test_check_modules_refuses_bad_entries():
    notices = get_module("notices")
    with pytest.raises(ValueError, match="already registered"):
        check_modules(
            [notices, MiniappModule("notices", "Thông báo", "bell", NoticesSettingsSchema)]
        )
    with pytest.raises(ValueError, match="unknown icon"):
        check_modules([MiniappModule("weather", "Thời tiết", "sun", NoticesSettingsSchema)])
    with pytest.raises(ValueError, match="default settings"):
        check_modules(
            [MiniappModule("weather", "Thời tiết", "info", NoticesSettingsSchema, {"page_size": 0})]
        )
    with pytest.raises(ValueError, match="invalid module id"):
        check_modules([MiniappModule("Weather!", "Thời tiết", "info", NoticesSettingsSchema)])
    assert get_module("weather") is None


def test_link_presets_are_https():
    assert {p.id: p.url for p in LINK_PRESETS.values()} == {
        "dich-vu-cong": "https://dichvucong.gov.vn",
        "vneid": "https://vneid.gov.vn",
        "phan-anh-hien-truong": "https://ihanoi.hanoi.gov.vn",
    }


# --- canonical form --------------------------------------------------------------------------


def test_canonical_bytes_ignore_key_order(document):
    shuffled = json.loads(json.dumps(document, sort_keys=True))
    reversed_keys = {key: shuffled[key] for key in reversed(list(shuffled))}
    assert canonical_bytes(reversed_keys) == canonical_bytes(document)
    assert strong_etag(canonical_bytes(reversed_keys)) == strong_etag(canonical_bytes(document))


def test_canonical_bytes_are_compact_utf8():
    data = canonical_bytes({"b": 1, "a": {"title": "Phường Hoàn Kiếm"}})
    assert data == '{"a":{"title":"Phường Hoàn Kiếm"},"b":1}'.encode()


def test_strong_etag_shape_and_sensitivity():
    etag = strong_etag(b"{}")
    assert etag.startswith('"') and etag.endswith('"') and not etag.startswith("W/")
    assert len(etag) == 34 and all(c in "0123456789abcdef" for c in etag[1:-1])
    assert strong_etag(b'{"a":1}') != strong_etag(b'{"a":2}')
