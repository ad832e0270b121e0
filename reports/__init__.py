"""Field reports (phản ánh hiện trường): residents report with a photo, wards answer on time
and in public.

The service (`reports.service`) is the one writer of the module's tables; the JSON API here,
and the web pages and Open311 built on top, call it.
"""

from app.registry import EventType, MiniappModule, ModuleManifest
from app.strict import StrictSchema
from reports import demo, indicators, monthly, service
from reports.models import HIDE_TARGET_LABELS, STATUS_LABELS
from reports.open311 import bp as open311_bp
from reports.views import blp


class ReportsSettingsSchema(StrictSchema):
    """Settings of the field-reports entry: none yet (the categories are the ward's own)."""


manifest = ModuleManifest(
    name="reports",
    blueprints=[blp, open311_bp],
    # Its id is the address of its pages in the ward miniapp (/w/<ward>/phan-anh).
    miniapp_modules=[
        MiniappModule(
            id="phan-anh",
            title="Phản ánh hiện trường",
            icon="camera",
            settings_schema=ReportsSettingsSchema,
            description="Người dân gửi phản ánh kèm ảnh, vị trí; phường, xã trả lời công khai.",
        )
    ],
    demo_loaders=[demo.load],
    indicators=indicators.INDICATORS,
    monthly_figures=[monthly.monthly_figures],
    vocabularies={"report_status": STATUS_LABELS, "report_hide_target": HIDE_TARGET_LABELS},
    personal_data_exporters=[service.export_data],
    personal_data_erasers=[service.erase],
    # What outside systems hear (reports/events.py says what each carries).
    event_types=[
        EventType("report.created", "Phản ánh mới", scope="reports:read"),
        EventType(
            "report.status_changed", "Phản ánh đổi trạng thái, kèm trả lời", scope="reports:read"
        ),
        EventType("report.recategorized", "Phản ánh được chuyển loại", scope="reports:read"),
        EventType("report.hidden", "Nội dung hoặc ảnh phản ánh bị ẩn", scope="reports:read"),
    ],
)
