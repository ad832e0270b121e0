"""Chợ 4.0: digital streets and markets, household businesses, VietQR payment codes, posters."""

from marshmallow import validate

from app.registry import EventType, MiniappModule, ModuleManifest
from app.strict import Flag, Integer, ListOf, StrictSchema, unique_items
from miniapps.market import demo, indicators, monthly, service
from miniapps.market import models as _models
from miniapps.market.views import blp


class MarketSettingsSchema(StrictSchema):
    """Settings of the chợ 4.0 module: the zones shown (empty = every zone of the ward)."""

    zone_ids = ListOf(
        Integer(validate=validate.Range(min=1, error="Mã khu phải là số nguyên dương.")),
        validate=[
            validate.Length(max=50, error="Tối đa 50 khu kinh doanh."),
            unique_items,
        ],
        metadata={"label": "Các khu hiển thị (để trống: mọi khu)"},
    )
    show_ocop = Flag(metadata={"label": "Hiện sản phẩm OCOP"})


manifest = ModuleManifest(
    name="market",
    blueprints=[blp],
    demo_loaders=[demo.load],
    miniapp_modules=[
        MiniappModule(
            id="market",
            title="Chợ 4.0",
            icon="store",
            settings_schema=MarketSettingsSchema,
            default_settings={"zone_ids": [], "show_ocop": True},
            description="Tuyến phố kinh doanh số, chợ 4.0: hộ kinh doanh, mã QR thanh toán.",
        )
    ],
    indicators=indicators.INDICATORS,
    monthly_figures=[monthly.monthly_figures],
    vocabularies={
        "merchant_status": _models.MERCHANT_STATUS_LABELS,
        "zone_kind": _models.ZONE_KIND_LABELS,
    },
    personal_data_exporters=[service.export_personal_data],
    personal_data_erasers=[service.erase_personal_data],
    # The public listing's changes (miniapps/market/events.py says what each carries).
    event_types=[
        EventType("merchant.verified", "Cửa hàng được xác minh", scope="market:read"),
        EventType("merchant.updated", "Cửa hàng đã xác minh thay đổi", scope="market:read"),
        EventType("merchant.suspended", "Cửa hàng bị tạm dừng", scope="market:read"),
        EventType("merchant.rejected", "Đăng ký cửa hàng bị từ chối", scope="market:read"),
    ],
)
