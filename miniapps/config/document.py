"""The ward miniapp config document: its schema, and helpers to validate it.

Shape (version 1)::

    {
      "schema_version": 1,
      "ward": {"code": "00070", "name": "Phường Hoàn Kiếm", "type": "phuong"},
      "app": {"title": "Phường Hoàn Kiếm", "subtitle": "…", "logo": "/static/…",
              "theme": {"light": {"primary": "#C62828", "background": "#FFFFFF",
                                  "text": "#1F1F1F"},
                        "dark": {…the same three colours…}}},
      "modules": [{"id": "notices", "kind": "builtin", "title": "Thông báo", "icon": "bell",
                   "enabled": true, "settings": {…checked by the module's manifest…}},
                  {"id": "vneid", "kind": "link", "title": "VNeID", "icon": "id-card",
                   "enabled": true, "settings": {"url": "https://vneid.gov.vn"}}],
      "tab_bar": ["notices", "polls"],
      "contacts": {"hotline": "024 3825 3536", "office_address": "…", "working_hours": "…"},
      "min_host_version": "1.0.0"
    }

A `builtin` module's id is the id of an installed module's entry (`registry.get_module`); a `link`
module has any other slug as id and an https `url` in its settings. Error messages are
Vietnamese and name the rule; `flatten_errors` keys them by dotted path ("modules.2.id").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from marshmallow import ValidationError, validate, validates_schema

from app.errors import FieldError, join_field_errors
from app.strict import (
    AnyObject,
    Flag,
    Integer,
    ListOf,
    Object,
    StrictSchema,
    Text,
    https_url,
    length,
    not_blank,
    one_of,
    vietnamese_phone,
)
from app.validation import translate_errors
from miniapps.config.registry import (
    MODULE_ID,
    LinkSettingsSchema,
    get_module,
    known_icon,
    registered_modules,
)

SCHEMA_VERSION = 1
# Wards (phuong, xa) and the city's departments (so) hold configs of the same shape.
WARD_TYPES: tuple[str, ...] = ("phuong", "xa", "so")
MODULE_KINDS: tuple[str, ...] = ("builtin", "link")
TAB_BAR_MIN, TAB_BAR_MAX = 2, 5

_COLOUR = validate.Regexp(r"^#[0-9A-Fa-f]{6}$", error="Màu phải có dạng #RRGGBB (ví dụ #C62828).")
# A ward's official code (5 digits) or a department's (2 to 5 capital letters).
_WARD_CODE = validate.Regexp(
    r"^(\d{5}|[A-Z]{2,5})$",
    error="Mã đơn vị phải gồm 5 chữ số (phường, xã) hoặc 2–5 chữ in hoa (sở, ngành).",
)
_MODULE_ID = validate.Regexp(
    f"^{MODULE_ID.pattern}$",
    error="Mã module chỉ gồm chữ thường không dấu, chữ số, '-' hoặc '_', bắt đầu bằng chữ cái.",
)
# https://semver.org, "Is there a suggested regular expression": MAJOR.MINOR.PATCH[-pre][+build]
_SEMVER = validate.Regexp(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$",
    error="Phiên bản phải theo dạng semver MAJOR.MINOR.PATCH (ví dụ 1.4.0).",
)
_LOCAL_PATH = re.compile(r"/(?!/)[A-Za-z0-9._~%/-]*")
MSG_LOGO = "Logo phải là đường dẫn bắt đầu bằng '/' hoặc địa chỉ https:// hợp lệ."


def _logo(value: str) -> None:
    """Accept a local URL path or an https URL."""
    if _LOCAL_PATH.fullmatch(value):
        return
    try:
        https_url(value)
    except ValidationError as error:
        raise ValidationError(MSG_LOGO) from error


class WardSchema(StrictSchema):
    """The unit the config belongs to (filled from the ward or department, never edited)."""

    code = Text(required=True, validate=_WARD_CODE, metadata={"label": "Mã đơn vị"})
    name = Text(
        required=True, validate=[not_blank, length(1, 100)], metadata={"label": "Tên đơn vị"}
    )
    type = Text(
        required=True,
        validate=one_of(WARD_TYPES, what="Loại đơn vị"),
        metadata={"label": "Loại đơn vị"},
    )


class ColoursSchema(StrictSchema):
    """The three colours of one theme variant."""

    primary = Text(required=True, validate=_COLOUR, metadata={"label": "Màu chính"})
    background = Text(required=True, validate=_COLOUR, metadata={"label": "Màu nền"})
    text = Text(required=True, validate=_COLOUR, metadata={"label": "Màu chữ"})


class ThemeSchema(StrictSchema):
    """The light and dark variants of the miniapp theme."""

    light = Object(ColoursSchema, required=True, metadata={"label": "Giao diện sáng"})
    dark = Object(ColoursSchema, required=True, metadata={"label": "Giao diện tối"})


class AppSchema(StrictSchema):
    """How the miniapp presents itself."""

    title = Text(
        required=True, validate=[not_blank, length(1, 60)], metadata={"label": "Tên miniapp"}
    )
    subtitle = Text(validate=[not_blank, length(1, 120)], metadata={"label": "Dòng phụ đề"})
    logo = Text(validate=[length(1, 500), _logo], metadata={"label": "Logo"})
    theme = Object(ThemeSchema, required=True, metadata={"label": "Màu sắc"})


class ModuleSchema(StrictSchema):
    """One entry of the miniapp's module list."""

    id = Text(required=True, validate=[length(1, 40), _MODULE_ID], metadata={"label": "Mã module"})
    kind = Text(
        required=True,
        validate=one_of(MODULE_KINDS, what="Loại module"),
        metadata={"label": "Loại module"},
    )
    title = Text(
        required=True, validate=[not_blank, length(1, 40)], metadata={"label": "Tên hiển thị"}
    )
    icon = Text(required=True, validate=known_icon, metadata={"label": "Biểu tượng"})
    enabled = Flag(required=True, metadata={"label": "Bật"})
    settings = AnyObject(keys=Text(), load_default=dict, metadata={"label": "Cài đặt"})

    @validates_schema
    def check_kind_and_settings(self, data: dict[str, Any], **kwargs: Any) -> None:
        """Check the id against the kind, and the settings against the module's own schema."""
        module_id, kind = data["id"], data["kind"]
        manifest = get_module(module_id)
        if kind == "builtin":
            if manifest is None:
                known = ", ".join(m.id for m in registered_modules())
                raise ValidationError(
                    f"Không có module có sẵn nào mang mã «{module_id}»; các mã hợp lệ: {known}.",
                    "id",
                )
            settings_schema = manifest.settings_schema
        else:
            if manifest is not None:
                raise ValidationError(
                    f"Mã «{module_id}» dành cho module có sẵn; module liên kết cần mã khác.",
                    "id",
                )
            settings_schema = LinkSettingsSchema
        errors = settings_schema().validate(data.get("settings", {}))
        if errors:
            raise ValidationError({"settings": errors})


class ContactsSchema(StrictSchema):
    """How residents reach the ward's People's Committee."""

    hotline = Text(required=True, validate=vietnamese_phone, metadata={"label": "Đường dây nóng"})
    office_address = Text(
        required=True, validate=[not_blank, length(1, 200)], metadata={"label": "Địa chỉ trụ sở"}
    )
    working_hours = Text(
        required=True, validate=[not_blank, length(1, 200)], metadata={"label": "Giờ làm việc"}
    )


class MiniappConfigSchema(StrictSchema):
    """The whole config document of one ward's miniapp."""

    schema_version = Integer(
        required=True,
        metadata={"label": "Phiên bản lược đồ"},
        validate=validate.Equal(
            SCHEMA_VERSION, error=f"Phiên bản lược đồ phải là {SCHEMA_VERSION}."
        ),
    )
    ward = Object(WardSchema, required=True, metadata={"label": "Đơn vị"})
    app = Object(AppSchema, required=True, metadata={"label": "Ứng dụng"})
    modules = ListOf(
        Object(ModuleSchema),
        required=True,
        metadata={"label": "Module"},
        validate=validate.Length(min=1, max=30, error="Phải có từ 1 đến 30 module."),
    )
    tab_bar = ListOf(
        Text(),
        required=True,
        metadata={"label": "Thanh tab"},
        validate=validate.Length(
            min=TAB_BAR_MIN,
            max=TAB_BAR_MAX,
            error=f"Thanh tab phải có từ {TAB_BAR_MIN} đến {TAB_BAR_MAX} mục.",
        ),
    )
    contacts = Object(ContactsSchema, required=True, metadata={"label": "Liên hệ"})
    min_host_version = Text(
        required=True, validate=_SEMVER, metadata={"label": "Phiên bản ứng dụng tối thiểu"}
    )

    @validates_schema
    def check_modules_and_tab_bar(self, data: dict[str, Any], **kwargs: Any) -> None:
        """Check that module ids are unique and that every tab names an enabled module."""
        errors: dict[str, dict[int, Any]] = {}
        enabled: dict[str, bool] = {}
        for index, module in enumerate(data["modules"]):
            if module["id"] in enabled:
                errors.setdefault("modules", {})[index] = {
                    "id": [f"Mã module «{module['id']}» bị trùng; mỗi module phải có mã riêng."]
                }
            else:
                enabled[module["id"]] = module["enabled"]
        seen_tabs: set[str] = set()
        for index, tab in enumerate(data["tab_bar"]):
            if tab in seen_tabs:
                message = f"Mục «{tab}» xuất hiện hai lần trên thanh tab."
            elif tab not in enabled:
                message = f"Thanh tab nhắc đến module «{tab}» không có trong danh sách module."
            elif not enabled[tab]:
                message = f"Thanh tab nhắc đến module «{tab}» đang tắt; hãy bật module trước."
            else:
                message = ""
            seen_tabs.add(tab)
            if message:
                errors.setdefault("tab_bar", {})[index] = [message]
        if errors:
            raise ValidationError(errors)


class ConfigValidationError(ValueError):
    """A config document broke the schema; `errors` maps each dotted field path to messages.

    `field_errors` says the same for people: each message with its field's label.
    """

    def __init__(
        self, errors: dict[str, list[str]], field_errors: list[FieldError] | None = None
    ) -> None:
        self.errors = errors
        self.field_errors = field_errors or [
            FieldError(path, "", message)
            for path, messages in errors.items()
            for message in messages
        ]
        super().__init__("Cấu hình miniapp không hợp lệ: " + join_field_errors(self.field_errors))


def flatten_errors(
    messages: Mapping[Any, Any] | list[Any], prefix: str = ""
) -> dict[str, list[str]]:
    """Flatten marshmallow's nested error messages into {dotted path: [messages]}."""
    if isinstance(messages, list):
        return {prefix or "_schema": [str(message) for message in messages]}
    flat: dict[str, list[str]] = {}
    for key, value in messages.items():
        # "_schema" holds errors about the object itself: report them on the object's path.
        path = prefix if key == "_schema" else (f"{prefix}.{key}" if prefix else str(key))
        for sub_path, sub_messages in flatten_errors(value, path).items():
            flat.setdefault(sub_path, []).extend(sub_messages)
    return flat


def validate_document(document: Any) -> dict[str, list[str]]:
    """Return the document's errors by dotted field path; empty when it is valid."""
    return flatten_errors(MiniappConfigSchema().validate(document))


def load_document(document: Any) -> dict[str, Any]:
    """Return the validated document, or raise ConfigValidationError naming the fields."""
    schema = MiniappConfigSchema()
    try:
        return schema.load(document)
    except ValidationError as error:
        _, field_errors = translate_errors(error.messages, schema)
        raise ConfigValidationError(flatten_errors(error.messages), field_errors) from error
