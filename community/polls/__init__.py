"""Polls, elections, consultations and surveys of communities and wards."""

from marshmallow import validate

from app.registry import EventType, MiniappModule, ModuleManifest, PeriodicJob
from app.strict import Flag, ListOf, StrictSchema, Text, one_of, unique_items
from community.polls import cli, demo, models, monthly, service
from community.polls.views import blp


class PollsSettingsSchema(StrictSchema):
    """Settings of the polls module: which kinds of poll are listed, and closed ones or not."""

    show_kinds = ListOf(
        Text(validate=one_of(models.KIND_LABELS, what="Loại biểu quyết")),
        validate=[validate.Length(min=1, error="Phải chọn ít nhất 1 loại."), unique_items],
        metadata={"label": "Loại biểu quyết hiển thị"},
    )
    show_closed = Flag(metadata={"label": "Hiện các cuộc đã đóng"})


manifest = ModuleManifest(
    name="polls",
    blueprints=[blp],
    cli_groups=[cli.polls_cli],
    demo_loaders=[demo.load],
    miniapp_modules=[
        MiniappModule(
            id="polls",
            title="Biểu quyết – Khảo sát",
            icon="vote",
            settings_schema=PollsSettingsSchema,
            default_settings={"show_kinds": list(models.KINDS), "show_closed": True},
            description="Bầu cử, biểu quyết, xin ý kiến và khảo sát trực tuyến.",
        )
    ],
    personal_data_exporters=[service.export_data],
    monthly_figures=[monthly.monthly_figures],
    vocabularies={
        "poll_kind": models.KIND_LABELS,
        "poll_status": models.STATUS_LABELS,
        "results_visibility": models.VISIBILITY_LABELS,
        "question_type": models.QUESTION_TYPE_LABELS,
    },
    periodic_jobs=[
        PeriodicJob("polls.advance-due", cli.advance_due_polls, every_seconds=60),
    ],
    event_types=[
        EventType("poll.opened", "Cuộc biểu quyết, khảo sát được mở", "polls:read"),
        EventType("poll.closed", "Cuộc biểu quyết, khảo sát kết thúc (kèm kết quả)", "polls:read"),
    ],
)
