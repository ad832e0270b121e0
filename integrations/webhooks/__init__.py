"""Placeholder: the webhooks module's manifest."""

from app.registry import ModuleManifest

manifest = ModuleManifest(name="webhooks")
