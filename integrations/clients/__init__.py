"""Placeholder: the clients module's manifest."""

from app.registry import ModuleManifest

manifest = ModuleManifest(name="clients")
