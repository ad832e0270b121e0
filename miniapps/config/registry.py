"""The registry of builtin miniapp modules, and the field vocabulary their settings share.

Decidim-style: each builtin module (notices, polls, market, communities, contacts) registers a
manifest (its id, default title, icon and settings schema); the config document knows modules
only through `get_module`. External links are not registered modules: a `link` module carries
its own `url`, and `LINK_PRESETS` lists the ones the city templates use.

The strict fields below live here, not in `document.py`, because the settings schemas need them
and the document imports the registry (never the other way round).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate

# --- Vietnamese error messages (user-facing) -------------------------------------------------

MSG_REQUIRED = "Thiếu trường bắt buộc."
MSG_NULL = "Không được để trống (null)."
MSG_UNKNOWN = "Trường không được hỗ trợ."
MSG_OBJECT = "Phải là một đối tượng JSON."
MSG_STRING = "Phải là chuỗi ký tự."
MSG_INTEGER = "Phải là số nguyên."
MSG_BOOLEAN = "Phải là true hoặc false."
MSG_LIST = "Phải là một danh sách."
MSG_BLANK = "Không được để trống hoặc chỉ gồm khoảng trắng."
MSG_HTTPS = "Phải là địa chỉ https:// hợp lệ (không chấp nhận http://)."

_COMMON_MESSAGES = {
    "required": MSG_REQUIRED,
    "null": MSG_NULL,
    "validator_failed": "Giá trị không hợp lệ.",
}


class StrictSchema(Schema):
    """A schema that rejects unknown fields and speaks Vietnamese."""

    error_messages = {"unknown": MSG_UNKNOWN, "type": MSG_OBJECT}

    class Meta:
        unknown = RAISE


class Text(fields.String):
    """A string field with Vietnamese messages."""

    default_error_messages = {
        **_COMMON_MESSAGES,
        "invalid": MSG_STRING,
        "invalid_utf8": MSG_STRING,
    }


class Integer(fields.Integer):
    """A strict integer field: refuses strings, floats and booleans."""

    default_error_messages = {
        **_COMMON_MESSAGES,
        "invalid": MSG_INTEGER,
        "too_large": "Số quá lớn.",
    }

    def __init__(self, **kwargs: Any) -> None:
        # marshmallow already refuses booleans; strict also refuses "3" and 3.0.
        super().__init__(strict=True, **kwargs)


class Flag(fields.Boolean):
    """A strict boolean field: only JSON true or false."""

    default_error_messages = {**_COMMON_MESSAGES, "invalid": MSG_BOOLEAN}

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class ListOf(fields.List):
    """A list field with Vietnamese messages."""

    default_error_messages = {**_COMMON_MESSAGES, "invalid": MSG_LIST}


class Object(fields.Nested):
    """A nested-object field with Vietnamese messages."""

    default_error_messages = {**_COMMON_MESSAGES, "type": MSG_OBJECT}


class AnyObject(fields.Dict):
    """A free-form object field (checked elsewhere) with Vietnamese messages."""

    default_error_messages = {**_COMMON_MESSAGES, "invalid": MSG_OBJECT}


def not_blank(value: str) -> None:
    """Reject a string that is empty or only whitespace."""
    if not value.strip():
        raise ValidationError(MSG_BLANK)


def length(minimum: int, maximum: int) -> validate.Length:
    """Return a length validator whose message names the bounds."""
    return validate.Length(
        min=minimum, max=maximum, error=f"Độ dài phải từ {minimum} đến {maximum} ký tự."
    )


def one_of(choices: tuple[str, ...], *, what: str = "Giá trị") -> validate.OneOf:
    """Return a choice validator whose message lists the accepted values."""
    return validate.OneOf(choices, error=f"{what} phải là một trong: {', '.join(choices)}.")


def unique_items(values: list[Any]) -> None:
    """Reject a list that holds the same value twice."""
    seen: set[Any] = set()
    for value in values:
        if value in seen:
            raise ValidationError(f"Giá trị «{value}» bị lặp lại; mỗi giá trị chỉ được có một lần.")
        seen.add(value)


_HTTPS_URL = validate.URL(schemes={"https"}, require_tld=True, error=MSG_HTTPS)


def https_url(value: str) -> None:
    """Accept only an absolute https:// URL."""
    if not value.lower().startswith("https://"):
        raise ValidationError(MSG_HTTPS)
    _HTTPS_URL(value)


_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
_PHONE_PATTERNS = (
    re.compile(r"0[1-9]\d{8,9}"),  # mobile 09x… (10 digits), landline 024 xxxx xxxx (11)
    re.compile(r"\+84[1-9]\d{8,9}"),  # the same in international form
    re.compile(r"1\d{2,3}"),  # short service numbers: 113, 114, 115, 1022
    re.compile(r"1[89]00\d{4}(?:\d{2})?"),  # 1800 / 1900 numbers
)
MSG_PHONE = (
    "Số điện thoại không đúng định dạng Việt Nam "
    "(ví dụ 024 3825 3536, 0912 345 678, +84 912 345 678, 1022 hoặc 1900 1234)."
)


def vietnamese_phone(value: str) -> None:
    """Accept a Vietnamese phone number: landline, mobile, +84, short or 1800/1900 number."""
    compact = _PHONE_SEPARATORS.sub("", value)
    if not any(pattern.fullmatch(compact) for pattern in _PHONE_PATTERNS):
        raise ValidationError(MSG_PHONE)


# --- Icons ------------------------------------------------------------------------------------

#: The icons a module may use: names from the Lucide icon set, which the ward web front draws.
ICONS: frozenset[str] = frozenset(
    {
        "bell",
        "megaphone",
        "vote",
        "clipboard-list",
        "store",
        "qr-code",
        "users",
        "house",
        "phone",
        "landmark",
        "id-card",
        "camera",
        "map-pin",
        "calendar",
        "info",
        "shield",
        "heart-pulse",
        "graduation-cap",
        "sprout",
        "wheat",
        "link",
        "file-text",
        "message-square",
        "globe",
    }
)


def known_icon(value: str) -> None:
    """Accept only an icon of the fixed set."""
    if value not in ICONS:
        raise ValidationError(
            f"Biểu tượng «{value}» không có trong bộ biểu tượng; chọn một trong: "
            f"{', '.join(sorted(ICONS))}."
        )


# --- Domain vocabularies (codes from the public contract) -------------------------------------

NOTICE_CATEGORIES: tuple[str, ...] = (
    "thong_tin_co_so",
    "an_ninh_trat_tu",
    "y_te",
    "giao_duc",
    "moi_truong",
    "phong_chong_thien_tai",
    "van_hoa",
    "phap_luat",
    "khac",
)
POLL_KINDS: tuple[str, ...] = ("vote", "election", "consultation", "survey")
COMMUNITY_KINDS: tuple[str, ...] = ("to_dan_pho", "thon", "chi_bo", "chi_hoi", "other")

# --- Settings schemas of the builtin modules --------------------------------------------------


class NoticesSettingsSchema(StrictSchema):
    """Settings of the notices module: the category filters shown, in order, and page size."""

    show_categories = ListOf(
        Text(validate=one_of(NOTICE_CATEGORIES, what="Danh mục thông báo")),
        validate=[validate.Length(min=1, error="Phải chọn ít nhất 1 danh mục."), unique_items],
    )
    page_size = Integer(
        validate=validate.Range(min=5, max=50, error="Số thông báo mỗi trang phải từ 5 đến 50.")
    )


class PollsSettingsSchema(StrictSchema):
    """Settings of the polls module: which kinds of poll are listed, and closed ones or not."""

    show_kinds = ListOf(
        Text(validate=one_of(POLL_KINDS, what="Loại biểu quyết")),
        validate=[validate.Length(min=1, error="Phải chọn ít nhất 1 loại."), unique_items],
    )
    show_closed = Flag()


class MarketSettingsSchema(StrictSchema):
    """Settings of the chợ 4.0 module: the zones shown (empty = every zone of the ward)."""

    zone_ids = ListOf(
        Integer(validate=validate.Range(min=1, error="Mã khu phải là số nguyên dương.")),
        validate=[
            validate.Length(max=50, error="Tối đa 50 khu kinh doanh."),
            unique_items,
        ],
    )
    show_ocop = Flag()


class CommunitiesSettingsSchema(StrictSchema):
    """Settings of the communities module: the kinds of community listed, in order."""

    kinds = ListOf(
        Text(validate=one_of(COMMUNITY_KINDS, what="Loại cộng đồng")),
        validate=[validate.Length(min=1, error="Phải chọn ít nhất 1 loại."), unique_items],
    )


class ExtraNumberSchema(StrictSchema):
    """One extra phone number listed on the contacts page."""

    label = Text(required=True, validate=[not_blank, length(1, 60)])
    phone = Text(required=True, validate=vietnamese_phone)


class ContactsSettingsSchema(StrictSchema):
    """Settings of the contacts module: extra numbers shown below the ward's own contacts."""

    extra_numbers = ListOf(
        Object(ExtraNumberSchema),
        validate=validate.Length(max=10, error="Tối đa 10 số điện thoại."),
    )


class LinkSettingsSchema(StrictSchema):
    """Settings of an external link module: where it leads and how it opens."""

    url = Text(required=True, validate=https_url)
    open_in = Text(validate=one_of(("in_app", "browser"), what="Cách mở liên kết"))


# --- Manifests and the registry ---------------------------------------------------------------

MODULE_ID = re.compile(r"[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*")


@dataclass(frozen=True)
class ModuleManifest:
    """What the core knows about a builtin module."""

    id: str
    title: str
    icon: str
    settings_schema: type[Schema]
    default_settings: Mapping[str, Any] = field(default_factory=dict)
    description: str = ""


@dataclass(frozen=True)
class LinkPreset:
    """An external service that ward miniapps commonly link to."""

    id: str
    title: str
    icon: str
    url: str


_registry: dict[str, ModuleManifest] = {}


def register_module(manifest: ModuleManifest) -> ModuleManifest:
    """Register a builtin module manifest; refuse a taken id or an invalid manifest."""
    if not MODULE_ID.fullmatch(manifest.id) or len(manifest.id) > 40:
        raise ValueError(f"invalid module id: {manifest.id!r}")
    if manifest.id in _registry:
        raise ValueError(f"module already registered: {manifest.id!r}")
    if manifest.icon not in ICONS:
        raise ValueError(f"unknown icon for module {manifest.id!r}: {manifest.icon!r}")
    errors = manifest.settings_schema().validate(dict(manifest.default_settings))
    if errors:
        raise ValueError(f"invalid default settings for {manifest.id!r}: {errors}")
    # Freeze the defaults so a caller cannot change every later template through them.
    frozen = ModuleManifest(
        id=manifest.id,
        title=manifest.title,
        icon=manifest.icon,
        settings_schema=manifest.settings_schema,
        default_settings=MappingProxyType(dict(manifest.default_settings)),
        description=manifest.description,
    )
    _registry[manifest.id] = frozen
    return frozen


def get_module(module_id: str) -> ModuleManifest | None:
    """Return the manifest of a builtin module, or None if no module has that id."""
    return _registry.get(module_id)


def registered_modules() -> tuple[ModuleManifest, ...]:
    """Return every registered manifest, in registration order."""
    return tuple(_registry.values())


register_module(
    ModuleManifest(
        id="notices",
        title="Thông báo",
        icon="bell",
        settings_schema=NoticesSettingsSchema,
        default_settings={"show_categories": list(NOTICE_CATEGORIES), "page_size": 20},
        description="Thông báo của phường, xã và của các cộng đồng.",
    )
)
register_module(
    ModuleManifest(
        id="polls",
        title="Biểu quyết – Khảo sát",
        icon="vote",
        settings_schema=PollsSettingsSchema,
        default_settings={"show_kinds": list(POLL_KINDS), "show_closed": True},
        description="Bầu cử, biểu quyết, xin ý kiến và khảo sát trực tuyến.",
    )
)
register_module(
    ModuleManifest(
        id="market",
        title="Chợ 4.0",
        icon="store",
        settings_schema=MarketSettingsSchema,
        default_settings={"zone_ids": [], "show_ocop": True},
        description="Tuyến phố kinh doanh số, chợ 4.0: hộ kinh doanh, mã QR thanh toán.",
    )
)
register_module(
    ModuleManifest(
        id="communities",
        title="Cộng đồng số",
        icon="users",
        settings_schema=CommunitiesSettingsSchema,
        default_settings={"kinds": ["to_dan_pho", "thon", "chi_bo", "chi_hoi", "other"]},
        description="Cộng đồng số chính thống: tổ dân phố, thôn, chi bộ, chi hội.",
    )
)
register_module(
    ModuleManifest(
        id="contacts",
        title="Liên hệ",
        icon="phone",
        settings_schema=ContactsSettingsSchema,
        default_settings={
            "extra_numbers": [
                {"label": "Công an", "phone": "113"},
                {"label": "Cứu hỏa, cứu nạn", "phone": "114"},
                {"label": "Cấp cứu", "phone": "115"},
            ]
        },
        description="Đường dây nóng, địa chỉ trụ sở và giờ làm việc của UBND.",
    )
)

#: External services linked from the city templates (kind "link"; never registered modules).
LINK_PRESETS: Mapping[str, LinkPreset] = MappingProxyType(
    {
        preset.id: preset
        for preset in (
            LinkPreset(
                id="dich-vu-cong",
                title="Dịch vụ công",
                icon="landmark",
                url="https://dichvucong.gov.vn",
            ),
            LinkPreset(id="vneid", title="VNeID", icon="id-card", url="https://vneid.gov.vn"),
            # To be confirmed with the iHanoi team: the deep link of the field-report screen.
            LinkPreset(
                id="phan-anh-hien-truong",
                title="Phản ánh hiện trường",
                icon="camera",
                url="https://ihanoi.hanoi.gov.vn",
            ),
        )
    }
)
