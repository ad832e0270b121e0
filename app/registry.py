"""The module registry: how the core learns of modules without naming them.

Decidim-style: each module package (`community`, `community.polls`, `miniapps.market`, …)
declares one `manifest: ModuleManifest` with everything it brings — blueprints, CLI groups,
demo data, its entries in the ward miniapp, the objects roles are held on, its indicators,
personal-data export and erasure, periodic jobs. `create_app()` loads the packages named by the
`INSTALLED_MODULES` setting (app/config.py), in that order, and the core and the other modules
read what they need through `manifests(app)`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any, Literal

from flask import Flask
from marshmallow import Schema

EXTENSION = "pxs_modules"


@dataclass(frozen=True)
class PeriodicJob:
    """Work the background worker runs every `every_seconds` (app/jobs.py).

    `func` runs inside an app context and returns how much it did (or None); several workers
    may run it at the same moment, so it must claim what it changes (a conditional UPDATE, a
    row lock) rather than read then write.
    """

    name: str
    func: Callable[[], int | None]
    every_seconds: int


@dataclass(frozen=True)
class EventType:
    """A kind of change a module reports to outside systems (webhooks, the change feed).

    `scope` is the API-client scope that may read it in the change feed (`notices:read` …);
    None means only the ward's staff and city admins see it there. `label` is Vietnamese.
    """

    name: str
    label: str
    scope: str | None = None


@dataclass(frozen=True)
class MiniappModule:
    """A module's entry in a ward's miniapp config: id, default title, icon, settings schema.

    `settings_schema` checks the entry's `settings`; `default_settings` are what the city
    templates start from (frozen: a caller cannot change every later template through them).
    miniapps/config checks every installed entry when the app starts.
    """

    id: str
    title: str
    icon: str
    settings_schema: type[Schema]
    default_settings: Mapping[str, Any] = field(default_factory=dict)
    description: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "default_settings", MappingProxyType(dict(self.default_settings)))


@dataclass(frozen=True)
class RoleScope:
    """A kind of object a module lets a role be held on, e.g. `community_leader` on a community.

    The roles themselves are the core's (app/identity); `ward_of(object id)` tells the ward the
    object belongs to (None when there is no such object), which decides who may grant the role.
    """

    role: str
    ward_of: Callable[[int], str | None]


# Seed 001, section III ("Mục tiêu đến hết năm 2026"): when the plans' targets are due, and
# where they come from, for the modules' indicators.
PLAN_DEADLINE = date(2026, 12, 31)
PLAN_SOURCE = "Kế hoạch chuyển đổi số năm 2026, mục III"


@dataclass(frozen=True)
class Indicator:
    """One of the city's indicators, measured per ward from a module's own data.

    `measure()` runs in an app context and returns `{ward code: (numerator, denominator)}` for
    every ward with data, all wards in one query. `unit` says how the value follows: "ratio"
    (numerator ÷ denominator, a share from 0 to 1), "flag" (the numerator, 0 or 1, out of a
    denominator), "people" (a count, with no denominator) or "average" (numerator ÷
    denominator, a mean such as stars from 1 to 5: the sum of the scores over their number).
    `position` orders the indicators table.
    """

    id: str
    name: str
    description: str
    target: float | None
    unit: Literal["ratio", "flag", "people", "average"]
    measure: Callable[[], Mapping[str, tuple[int, int]]]
    position: int
    # When the plans want the target reached (seed 001: "đến hết năm 2026"); None when the
    # plans give no date (or no target). Decides `missed` and the `at_risk` projection.
    deadline: date | None = None
    # Where the target comes from, for people ("Kế hoạch 131/KH-UBND, mục III").
    source: str = ""


@dataclass(frozen=True)
class MonthlyFigure:
    """One line of a ward's monthly report: a module's count (or share) for the month.

    `value` is an int (a count), a float (a share 0–1, shown as a percentage when `unit` is
    "ratio"; an average when "average") or None (nothing to measure this month).
    """

    section: str
    label: str
    value: float | int | None
    unit: Literal["count", "ratio", "average"] = "count"


@dataclass(frozen=True)
class ModuleManifest:
    """What a module brings to the platform; every slot but the name is optional."""

    name: str
    blueprints: list = field(default_factory=list)
    cli_groups: list = field(default_factory=list)
    # Called with no arguments inside an app context by `flask demo load`; must be idempotent.
    demo_loaders: list[Callable[[], None]] = field(default_factory=list)
    miniapp_modules: list[MiniappModule] = field(default_factory=list)
    role_scopes: list[RoleScope] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    # Called with a user; returns {section: data} for the personal-data export.
    personal_data_exporters: list[Callable] = field(default_factory=list)
    # Called with a user before their personal data is erased.
    personal_data_erasers: list[Callable] = field(default_factory=list)
    periodic_jobs: list[PeriodicJob] = field(default_factory=list)
    # The labels of the module's codes, {vocabulary: {code: Vietnamese label}}, served at
    # GET /api/v1/vocabulary so that clients never keep copies of them.
    vocabularies: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # Called with (ward code, first local day, last local day) of a month; returns the
    # module's lines of the ward's monthly report (GET /api/v1/kpi/report.pdf).
    monthly_figures: list[Callable[[str, date, date], list[MonthlyFigure]]] = field(
        default_factory=list
    )
    # Recounts of the counters the module keeps for the indicators; each returns the
    # disagreements it finds, in words (none when the counters are right): `flask kpi check`.
    counter_checks: list[Callable[[], list[str]]] = field(default_factory=list)
    # The kinds of change the module reports with app.events.emit (webhooks, change feed).
    event_types: list[EventType] = field(default_factory=list)
    init_app: Callable[[Flask], None] | None = None


def load_manifests(names: list[str]) -> list[ModuleManifest]:
    """Import the named module packages and return their manifests, in the same order."""
    return [importlib.import_module(name).manifest for name in names]


def install(app: Flask, names: list[str]) -> list[ModuleManifest]:
    """Bind the named modules to the app: later lookups go through `manifests(app)`."""
    app.extensions[EXTENSION] = load_manifests(names)
    return app.extensions[EXTENSION]


def manifests(app: Flask) -> list[ModuleManifest]:
    """Return the manifests of the modules installed in this app, in installation order."""
    return app.extensions[EXTENSION]


def ward_of(app: Flask, role: str, object_id: int) -> str | None:
    """Return the ward of the object a scoped role is held on (None if no module knows it)."""
    for manifest in manifests(app):
        for scope in manifest.role_scopes:
            if scope.role == role:
                return scope.ward_of(object_id)
    return None
