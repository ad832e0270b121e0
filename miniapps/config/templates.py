"""City-wide config templates, per-ward overrides, and the diffs between documents.

A ward's effective config is its type's template (urban `phuong` or rural `xa`), with the ward's
own facts filled in, and the ward's overrides merged on top (`effective_config`).

Merge rules (`deep_merge(base, override)`):

- objects merge key by key, recursively;
- lists and scalars in the override replace the base value wholesale (so `tab_bar` is replaced);
- a `null` in the override removes the key (e.g. `{"app": {"subtitle": null}}`);
- `modules` is merged by module id, so a ward can switch one module off without copying the
  list: each override entry `{"id": …, …}` merges into the template's module of that id; an entry
  whose id the template lacks is appended when it is a whole module (has `kind`), and dropped
  otherwise (it patched a module the template no longer has);
- the override-only key `module_order` (a list of module ids) sets the order of the modules and
  drops the ones it does not name. Without it the template's order holds, wards' own modules last.

Paths (`overridden_paths`, `diff_paths`, `wards_reached`) are dotted, with modules named by id:
`app.title`, `modules.market.enabled`, `modules.market.settings.zone_ids`, `tab_bar`,
`modules.<id>` for a module added or removed as a whole, and `module_order` for the order.

The ward block, the app title (the ward's name) and the office address are filled from the ward
unless the template or the overrides set them; templates leave them out.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Hashable, Iterable, Mapping
from types import MappingProxyType
from typing import Any

from miniapps.config.document import SCHEMA_VERSION, load_document
from miniapps.config.registry import LINK_PRESETS, get_module

MODULE_ORDER = "module_order"


def _builtin(
    module_id: str,
    *,
    title: str | None = None,
    icon: str | None = None,
    enabled: bool = True,
    **settings: Any,
) -> dict[str, Any]:
    """Return a builtin module entry from its manifest, with settings over the defaults."""
    manifest = get_module(module_id)
    if manifest is None:  # a typo in a template is a programming error
        raise LookupError(module_id)
    return {
        "id": module_id,
        "kind": "builtin",
        "title": title or manifest.title,
        "icon": icon or manifest.icon,
        "enabled": enabled,
        "settings": copy.deepcopy({**manifest.default_settings, **settings}),
    }


def _link(preset_id: str, *, enabled: bool = True) -> dict[str, Any]:
    """Return a link module entry from a preset."""
    preset = LINK_PRESETS[preset_id]
    return {
        "id": preset.id,
        "kind": "link",
        "title": preset.title,
        "icon": preset.icon,
        "enabled": enabled,
        "settings": {"url": preset.url, "open_in": "in_app"},
    }


# The minimum iHanoi version able to host miniapps: to be confirmed with the iHanoi team.
_MIN_HOST_VERSION = "1.0.0"
_WORKING_HOURS = "Thứ Hai – Thứ Sáu: sáng 8:00–12:00, chiều 13:00–17:00"
# 1022 is Hà Nội's city hotline; each ward is expected to override it with its own number.
_CITY_HOTLINE = "1022"


def _phuong_template() -> dict[str, Any]:
    """Return the urban wards' template."""
    return {
        "schema_version": SCHEMA_VERSION,
        "app": {
            "subtitle": "Chính quyền số phường trên iHanoi",
            "theme": {
                "light": {"primary": "#C62828", "background": "#FFFFFF", "text": "#1F1F1F"},
                "dark": {"primary": "#EF9A9A", "background": "#121212", "text": "#EDEDED"},
            },
        },
        "modules": [
            _builtin("notices"),
            _builtin("polls"),
            _builtin("market", title="Chợ 4.0 – Phố số"),
            _builtin(
                "communities",
                title="Tổ dân phố – Chi hội",
                kinds=["to_dan_pho", "chi_bo", "chi_hoi", "other"],
            ),
            _builtin("contacts"),
            _link("dich-vu-cong"),
            _builtin("phan-anh"),
            _builtin("dat-lich"),
            _link("vneid"),
        ],
        "tab_bar": ["notices", "polls", "market", "communities", "contacts"],
        "contacts": {"hotline": _CITY_HOTLINE, "working_hours": _WORKING_HOURS},
        "min_host_version": _MIN_HOST_VERSION,
    }


def _xa_template() -> dict[str, Any]:
    """Return the rural communes' template."""
    return {
        "schema_version": SCHEMA_VERSION,
        "app": {
            "subtitle": "Chính quyền số xã trên iHanoi",
            "theme": {
                "light": {"primary": "#2E7D32", "background": "#FFFFFF", "text": "#1F1F1F"},
                "dark": {"primary": "#81C784", "background": "#121212", "text": "#EDEDED"},
            },
        },
        "modules": [
            _builtin(
                "notices",
                title="Thông báo của xã",
                # Rural communes put flood and storm warnings first.
                show_categories=[
                    "phong_chong_thien_tai",
                    "thong_tin_co_so",
                    "y_te",
                    "moi_truong",
                    "an_ninh_trat_tu",
                    "giao_duc",
                    "van_hoa",
                    "phap_luat",
                    "khac",
                ],
            ),
            _builtin(
                "communities",
                title="Thôn – Chi hội",
                icon="house",
                kinds=["thon", "chi_bo", "chi_hoi", "other"],
            ),
            _builtin("polls", title="Họp thôn – Biểu quyết"),
            _builtin("contacts"),
            _builtin("phan-anh"),
            _builtin("dat-lich"),
            _link("dich-vu-cong"),
            _link("vneid"),
            # Off until the commune opens a market 4.0 pilot (e.g. Đa Phúc).
            _builtin("market", title="Nông sản – OCOP", icon="sprout", enabled=False),
        ],
        "tab_bar": ["notices", "communities", "polls", "contacts"],
        "contacts": {"hotline": _CITY_HOTLINE, "working_hours": _WORKING_HOURS},
        "min_host_version": _MIN_HOST_VERSION,
    }


def _so_template() -> dict[str, Any]:
    """Return the city departments' template (sở, ban, ngành): notices, surveys, contacts."""
    return {
        "schema_version": SCHEMA_VERSION,
        "app": {
            "subtitle": "Sở, ban, ngành của thành phố Hà Nội trên iHanoi",
            "theme": {
                "light": {"primary": "#1565C0", "background": "#FFFFFF", "text": "#1F1F1F"},
                "dark": {"primary": "#90CAF9", "background": "#121212", "text": "#EDEDED"},
            },
        },
        "modules": [
            _builtin("notices"),
            _builtin("polls", title="Khảo sát"),
            _builtin("contacts"),
            _link("dich-vu-cong"),
            _link("vneid"),
        ],
        "tab_bar": ["notices", "polls", "contacts"],
        "contacts": {"hotline": _CITY_HOTLINE, "working_hours": _WORKING_HOURS},
        "min_host_version": _MIN_HOST_VERSION,
    }


# Built on each use from the installed modules' entries (their titles, icons and default
# settings), so that a module's defaults are read where the module declares them.
TEMPLATES: Mapping[str, Callable[[], dict[str, Any]]] = MappingProxyType(
    {"phuong": _phuong_template, "xa": _xa_template, "so": _so_template}
)


def template_for(ward_type: str) -> dict[str, Any]:
    """Return the city-wide template for a unit type ("phuong", "xa", "so"), a new copy."""
    return TEMPLATES[ward_type]()


# --- Merging ---------------------------------------------------------------------------------


def _merge_objects(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Merge two objects: recursive for objects, replace otherwise, null removes."""
    result = copy.deepcopy(dict(base))
    for key, value in override.items():
        if value is None:
            result.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(result.get(key), Mapping):
            result[key] = _merge_objects(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def _merge_modules(base: list[Any], patches: list[Any]) -> list[Any]:
    """Merge module patches into the base modules by id (see the module docstring)."""
    result = copy.deepcopy(base)
    position = {
        module["id"]: index
        for index, module in enumerate(result)
        if isinstance(module, Mapping) and "id" in module
    }
    for patch in patches:
        if not isinstance(patch, Mapping):
            result.append(copy.deepcopy(patch))  # left for the schema to reject
        elif patch.get("id") in position:
            index = position[patch["id"]]
            result[index] = _merge_objects(result[index], patch)
        elif "kind" in patch or "id" not in patch:
            position.setdefault(patch.get("id"), len(result))
            result.append(copy.deepcopy(dict(patch)))
        # else: an orphan patch of a module the template no longer has: dropped.
    return result


def _apply_order(modules: list[Any], order: Iterable[Any]) -> list[Any]:
    """Return the modules in the given id order, without the ones it does not name."""
    by_id = {m["id"]: m for m in modules if isinstance(m, Mapping) and "id" in m}
    ordered, seen = [], set()
    for module_id in order:
        if module_id in by_id and module_id not in seen:
            ordered.append(by_id[module_id])
            seen.add(module_id)
    return ordered


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Return a new document: base with override merged on top (rules in the module doc)."""
    plain = {k: v for k, v in override.items() if k not in ("modules", MODULE_ORDER)}
    result = _merge_objects(base, plain)
    modules = override.get("modules")
    if modules is not None:
        base_modules = result.get("modules")
        if isinstance(modules, list) and isinstance(base_modules, list):
            result["modules"] = _merge_modules(base_modules, modules)
        else:
            result["modules"] = copy.deepcopy(modules)
    elif "modules" in override:
        result.pop("modules", None)
    order = override.get(MODULE_ORDER)
    if isinstance(order, list) and isinstance(result.get("modules"), list):
        result["modules"] = _apply_order(result["modules"], order)
    return result


def _ward_fields(ward: Any) -> dict[str, str]:
    """Return code, name and type of a ward given as a mapping or an object."""
    if isinstance(ward, Mapping):
        return {"code": ward["code"], "name": ward["name"], "type": ward["type"]}
    return {"code": ward.code, "name": ward.name, "type": ward.type}


def _ward_base(template: Mapping[str, Any], ward: Any) -> dict[str, Any]:
    """Return the template with the ward's own facts filled in where the template is silent."""
    block = _ward_fields(ward)
    base = copy.deepcopy(dict(template))
    base["ward"] = block
    app = base.setdefault("app", {})
    if isinstance(app, dict):
        app.setdefault("title", block["name"])
    contacts = base.setdefault("contacts", {})
    if isinstance(contacts, dict):
        # A ward's office is its people's committee's (UBND); a department's is its own.
        office = "Trụ sở" if block["type"] == "so" else "Trụ sở UBND"
        contacts.setdefault("office_address", f"{office} {block['name']}")
    return base


def effective_config(
    *, template: Mapping[str, Any], overrides: Mapping[str, Any] | None, ward: Any
) -> dict[str, Any]:
    """Return the ward's validated document; raise ConfigValidationError if it is invalid."""
    document = deep_merge(_ward_base(template, ward), overrides or {})
    document["ward"] = _ward_fields(ward)  # the ward block is never overridden
    return load_document(document)


def _object_overrides(base: Mapping[str, Any], document: Mapping[str, Any]) -> dict[str, Any]:
    """Return the smallest object override that turns base into document."""
    result: dict[str, Any] = {}
    for key, value in document.items():
        if key not in base:
            result[key] = copy.deepcopy(value)
        elif isinstance(value, Mapping) and isinstance(base[key], Mapping):
            inner = _object_overrides(base[key], value)
            if inner:
                result[key] = inner
        elif value != base[key]:
            result[key] = copy.deepcopy(value)
    for key in base:
        if key not in document:
            result[key] = None
    return result


def extract_overrides(
    *, template: Mapping[str, Any], document: Mapping[str, Any], ward: Any
) -> dict[str, Any]:
    """Return the smallest overrides that give this (valid) document on top of the template."""
    base = _ward_base(template, ward)
    plain_base = {k: v for k, v in base.items() if k not in ("ward", "modules")}
    plain_document = {k: v for k, v in document.items() if k not in ("ward", "modules")}
    result = _object_overrides(plain_base, plain_document)
    base_modules = {m["id"]: m for m in base.get("modules", [])}
    patches = []
    for module in document.get("modules", []):
        if module["id"] in base_modules:
            patch = _object_overrides(base_modules[module["id"]], module)
            if patch:
                patches.append({"id": module["id"], **patch})
        else:
            patches.append(copy.deepcopy(module))
    if patches:
        result["modules"] = patches
    document_order = [m["id"] for m in document.get("modules", [])]
    natural_order = [m["id"] for m in _merge_modules(base.get("modules", []), patches)]
    if document_order != natural_order:
        result[MODULE_ORDER] = document_order
    return result


# --- Paths, reach and diffs ------------------------------------------------------------------


def _leaf_paths(value: Any, prefix: str) -> set[str]:
    """Return the dotted paths of the leaves under an override value."""
    if isinstance(value, Mapping) and value:
        paths: set[str] = set()
        for key, inner in value.items():
            paths |= _leaf_paths(inner, f"{prefix}.{key}")
        return paths
    if isinstance(value, Mapping):
        return set()  # an empty object overrides nothing
    return {prefix}


def overridden_paths(overrides: Mapping[str, Any]) -> set[str]:
    """Return the dotted paths a ward's overrides set (modules named by id)."""
    paths: set[str] = set()
    for key, value in overrides.items():
        if key == "modules" and isinstance(value, list):
            for patch in value:
                if isinstance(patch, Mapping) and "id" in patch:
                    rest = {k: v for k, v in patch.items() if k != "id"}
                    paths |= _leaf_paths(rest, f"modules.{patch['id']}")
                else:
                    paths.add("modules")
        elif key != "ward":
            paths |= _leaf_paths(value, key)
    return paths


def _is_shadowed(path: str, own_paths: set[str], overrides: Mapping[str, Any]) -> bool:
    """Tell whether a ward's overrides hide a template change at this path."""
    if any(path == own or path.startswith(own + ".") for own in own_paths):
        return True
    order = overrides.get(MODULE_ORDER)
    if isinstance(order, list) and path.startswith("modules."):
        # The ward lists its own modules: a module it leaves out stays out, whatever changes.
        return path.split(".")[1] not in order
    return False


def wards_reached(
    *, template_change_paths: Iterable[str], overrides_by_ward: Mapping[Hashable, Mapping[str, Any]]
) -> list[Hashable]:
    """Return the wards (keys of overrides_by_ward, in order) that a template change reaches."""
    # Every ward using the template must be in overrides_by_ward, with {} when it overrides
    # nothing. Reach is judged by paths; a reached ward's new config should still be validated
    # (e.g. a template that disables a module another ward keeps in its own tab bar).
    changes = list(template_change_paths)
    reached = []
    for ward_key, overrides in overrides_by_ward.items():
        own = overridden_paths(overrides)
        if any(not _is_shadowed(path, own, overrides) for path in changes):
            reached.append(ward_key)
    return reached


def _diff_objects(old: Mapping[str, Any], new: Mapping[str, Any], prefix: str) -> list[str]:
    """Return the dotted paths where two objects differ."""
    paths: list[str] = []
    keys = list(new) + [key for key in old if key not in new]
    for key in keys:
        path = f"{prefix}.{key}" if prefix else str(key)
        if key not in old or key not in new:
            paths.append(path)
        elif not prefix and key == "modules":
            paths += _diff_modules(old[key], new[key])
        elif isinstance(old[key], Mapping) and isinstance(new[key], Mapping):
            paths += _diff_objects(old[key], new[key], path)
        elif old[key] != new[key]:
            paths.append(path)
    return paths


def _diff_modules(old: Any, new: Any) -> list[str]:
    """Return the paths where two module lists differ, modules named by id."""
    if not (isinstance(old, list) and isinstance(new, list)):
        return ["modules"] if old != new else []
    old_by_id = {m["id"]: m for m in old}
    new_by_id = {m["id"]: m for m in new}
    paths: list[str] = []
    for module_id, module in new_by_id.items():
        if module_id not in old_by_id:
            paths.append(f"modules.{module_id}")
        else:
            paths += _diff_objects(old_by_id[module_id], module, f"modules.{module_id}")
    paths += [f"modules.{module_id}" for module_id in old_by_id if module_id not in new_by_id]
    common_old = [module_id for module_id in old_by_id if module_id in new_by_id]
    common_new = [module_id for module_id in new_by_id if module_id in old_by_id]
    if common_old != common_new:
        paths.append(MODULE_ORDER)
    return paths


def diff_paths(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """Return the dotted paths where two documents (or templates) differ, in document order."""
    return _diff_objects(old, new, "")


_SUMMARY_LIMIT = 8


def summarize_changes(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> str:
    """Return a short Vietnamese summary of what changed from old to new."""
    if old is None:
        return "Tạo cấu hình ban đầu."
    new_modules = {m["id"]: m for m in new.get("modules", []) if isinstance(m, Mapping)}
    parts: list[str] = []
    edited: dict[str, list[str]] = {}  # module id -> the fields edited, shown in one part
    for path in diff_paths(old, new):
        segments = path.split(".")
        if path == MODULE_ORDER:
            part = "đổi thứ tự module"
        elif segments[0] != "modules" or len(segments) == 1:
            part = "đổi " + ".".join(segments[:2])
        elif len(segments) == 2:
            part = ("thêm" if segments[1] in new_modules else "bỏ") + f" module {segments[1]}"
        elif segments[2] == "enabled":
            verb = "bật" if new_modules[segments[1]].get("enabled") else "tắt"
            part = f"{verb} module {segments[1]}"
        else:
            fields = edited.setdefault(segments[1], [])
            if not fields:
                parts.append(segments[1])  # a bare module id (no spaces): expanded below
            if segments[2] not in fields:
                fields.append(segments[2])
            continue
        if part not in parts:
            parts.append(part)
    parts = [
        f"sửa module {part} ({', '.join(edited[part])})" if part in edited else part
        for part in parts
    ]
    if not parts:
        return "Không có thay đổi."
    if len(parts) > _SUMMARY_LIMIT:
        rest = len(parts) - _SUMMARY_LIMIT
        parts = [*parts[:_SUMMARY_LIMIT], f"và {rest} thay đổi khác"]
    text = "; ".join(parts)
    return text[0].upper() + text[1:]
