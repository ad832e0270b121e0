"""The module registry: how the core learns of feature packages without importing them.

Each feature package (community, miniapps.config, miniapps.market, …) exposes a
`manifest: ModuleManifest`; create_app() loads the packages listed in `INSTALLED_MODULES`.
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask

INSTALLED_MODULES: list[str] = []


@dataclass(frozen=True)
class ModuleManifest:
    """What a feature package contributes: blueprints, CLI groups, demo data, export hooks."""

    name: str
    blueprints: list = field(default_factory=list)
    cli_groups: list = field(default_factory=list)
    # Called with no arguments inside an app context by `flask demo load`; must be idempotent.
    demo_loaders: list[Callable[[], None]] = field(default_factory=list)
    # Called with a user; returns {section: data} for the personal-data export.
    personal_data_exporters: list[Callable] = field(default_factory=list)
    # Called with a user before their personal data is erased.
    personal_data_erasers: list[Callable] = field(default_factory=list)
    init_app: Callable[[Flask], None] | None = None


def load_manifests(names: list[str]) -> list[ModuleManifest]:
    """Import the listed packages and return their manifests."""
    return [importlib.import_module(name).manifest for name in names]


def manifests(app: Flask) -> list[ModuleManifest]:
    """Return the manifests bound to this app."""
    return app.extensions["pxs_modules"]
