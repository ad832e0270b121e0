"""Official digital communities (tổ dân phố, thôn, chi bộ, chi hội) and their notices."""

from marshmallow import validate

from app.registry import EventType, MiniappModule, ModuleManifest, PeriodicJob, RoleScope
from app.strict import Integer, ListOf, StrictSchema, Text, one_of, unique_items
from community import demo, indicators, monthly
from community.groups import models as group_models
from community.groups import service as group_service
from community.groups.views import blp as groups_blp
from community.notices import models as notice_models
from community.notices import service as notice_service
from community.notices.cli import deliver_due_notices, notices_cli
from community.notices.views import blp as notices_blp


class NoticesSettingsSchema(StrictSchema):
    """Settings of the notices module: the category filters shown, in order, and page size."""

    show_categories = ListOf(
        Text(validate=one_of(notice_models.CATEGORIES, what="Danh mục thông báo")),
        validate=[validate.Length(min=1, error="Phải chọn ít nhất 1 danh mục."), unique_items],
        metadata={"label": "Danh mục hiển thị"},
    )
    page_size = Integer(
        validate=validate.Range(min=5, max=50, error="Số thông báo mỗi trang phải từ 5 đến 50."),
        metadata={"label": "Số thông báo mỗi trang"},
    )


class CommunitiesSettingsSchema(StrictSchema):
    """Settings of the communities module: the kinds of community listed, in order."""

    kinds = ListOf(
        Text(validate=one_of(group_models.KIND_LABELS, what="Loại cộng đồng")),
        validate=[validate.Length(min=1, error="Phải chọn ít nhất 1 loại."), unique_items],
        metadata={"label": "Loại cộng đồng hiển thị"},
    )


manifest = ModuleManifest(
    name="community",
    blueprints=[groups_blp, notices_blp],
    cli_groups=[notices_cli],
    demo_loaders=[demo.load],
    vocabularies={
        "notice_category": notice_models.CATEGORIES,
        "notice_status": notice_models.STATUS_LABELS,
        "notice_priority": notice_models.PRIORITY_LABELS,
        "community_kind": group_models.KIND_LABELS,
        "leader_title": group_models.LEADER_LABELS,
    },
    miniapp_modules=[
        MiniappModule(
            id="notices",
            title="Thông báo",
            icon="bell",
            settings_schema=NoticesSettingsSchema,
            default_settings={"show_categories": list(notice_models.CATEGORIES), "page_size": 20},
            description="Thông báo của phường, xã và của các cộng đồng.",
        ),
        MiniappModule(
            id="communities",
            title="Cộng đồng số",
            icon="users",
            settings_schema=CommunitiesSettingsSchema,
            default_settings={"kinds": list(group_models.KINDS)},
            description="Cộng đồng số chính thống: tổ dân phố, thôn, chi bộ, chi hội.",
        ),
    ],
    role_scopes=[RoleScope(role="community_leader", ward_of=group_service.ward_of)],
    indicators=indicators.INDICATORS,
    monthly_figures=[monthly.monthly_figures],
    counter_checks=[notice_service.recount_reach],
    personal_data_exporters=[group_service.export_data, notice_service.export_data],
    personal_data_erasers=[group_service.erase, notice_service.erase],
    periodic_jobs=[PeriodicJob("notices.deliver-due", deliver_due_notices, every_seconds=60)],
    event_types=[
        EventType("notice.published", "Thông báo được đăng tới người dân", "notices:read"),
        EventType("notice.withdrawn", "Thông báo bị thu hồi", "notices:read"),
    ],
)
