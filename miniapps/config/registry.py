"""The ward miniapp's modules: the installed modules' entries, checked, and external links.

Decidim-style: a module package declares its entries in its manifest
(`ModuleManifest.miniapp_modules`, app/registry.py) — id, default title, icon, settings
schema, built from the module's own vocabulary — and the config document knows modules only
through `get_module`. This package declares its own `contacts` entry here. External links are
not modules: a `link` entry carries its own `url`, and `LINK_PRESETS` lists the ones the city
templates use.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from flask import Flask, current_app, has_app_context
from marshmallow import ValidationError, validate

from app.config import DEFAULT_INSTALLED_MODULES
from app.registry import MiniappModule, ModuleManifest, load_manifests, manifests
from app.strict import (
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


# --- This package's own entry, and links ---------------------------------------------------


class ExtraNumberSchema(StrictSchema):
    """One extra phone number listed on the contacts page."""

    label = Text(
        required=True, validate=[not_blank, length(1, 60)], metadata={"label": "Tên số điện thoại"}
    )
    phone = Text(required=True, validate=vietnamese_phone, metadata={"label": "Số điện thoại"})


class ContactsSettingsSchema(StrictSchema):
    """Settings of the contacts module: extra numbers shown below the ward's own contacts."""

    extra_numbers = ListOf(
        Object(ExtraNumberSchema),
        metadata={"label": "Số điện thoại khác"},
        validate=validate.Length(max=10, error="Tối đa 10 số điện thoại."),
    )


class LinkSettingsSchema(StrictSchema):
    """Settings of an external link module: where it leads and how it opens."""

    url = Text(required=True, validate=https_url, metadata={"label": "Địa chỉ liên kết"})
    open_in = Text(
        validate=one_of(("in_app", "browser"), what="Cách mở liên kết"),
        metadata={"label": "Cách mở liên kết"},
    )


# --- The installed modules' entries -----------------------------------------------------------

MODULE_ID = re.compile(r"[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*")

CONTACTS = MiniappModule(
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


def _installed() -> list[ModuleManifest]:
    """Return the installed manifests: the current app's, or the default installation's.

    Outside an app (a script, the pure tests of documents and templates) the modules are those
    a default installation loads.
    """
    if has_app_context():
        return manifests(current_app)
    return load_manifests(list(DEFAULT_INSTALLED_MODULES))


def registered_modules() -> tuple[MiniappModule, ...]:
    """Return every installed module's miniapp entries, in installation order."""
    return tuple(entry for manifest in _installed() for entry in manifest.miniapp_modules)


def get_module(module_id: str) -> MiniappModule | None:
    """Return the installed miniapp entry with that id, or None if no module has that id."""
    return next((entry for entry in registered_modules() if entry.id == module_id), None)


def check_modules(entries: tuple[MiniappModule, ...] | list[MiniappModule]) -> None:
    """Refuse a set of entries with an invalid or taken id, an unknown icon or bad defaults."""
    seen: set[str] = set()
    for entry in entries:
        if not MODULE_ID.fullmatch(entry.id) or len(entry.id) > 40:
            raise ValueError(f"invalid module id: {entry.id!r}")
        if entry.id in seen:
            raise ValueError(f"module already registered: {entry.id!r}")
        seen.add(entry.id)
        if entry.icon not in ICONS:
            raise ValueError(f"unknown icon for module {entry.id!r}: {entry.icon!r}")
        errors = entry.settings_schema().validate(dict(entry.default_settings))
        if errors:
            raise ValueError(f"invalid default settings for {entry.id!r}: {errors}")


def init_app(app: Flask) -> None:
    """Check the installed modules' miniapp entries when the app starts."""
    check_modules([entry for manifest in manifests(app) for entry in manifest.miniapp_modules])


@dataclass(frozen=True)
class LinkPreset:
    """An external service that ward miniapps commonly link to."""

    id: str
    title: str
    icon: str
    url: str


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
