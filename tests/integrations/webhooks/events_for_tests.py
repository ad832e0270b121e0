"""A test-only module declaring event types, so the webhook tests need no other module's events."""

from app.registry import EventType, ModuleManifest

manifest = ModuleManifest(
    name="webhook-test-events",
    event_types=[
        EventType("test.happened", "Sự việc thử"),
        EventType("test.other", "Sự việc thử khác"),
    ],
)
