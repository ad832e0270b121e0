"""The market module's indicator: registered merchants that have a payment QR code."""

import sqlalchemy as sa

from app.extensions import db
from app.registry import PLAN_DEADLINE, PLAN_SOURCE, Indicator
from miniapps.market.models import MarketZone, Merchant


def merchants_with_payment_qr() -> dict[str, tuple[int, int]]:
    """Count, per ward, verified merchants (they have a VietQR code) of those not rejected."""
    rows = db.session.execute(
        sa.select(
            MarketZone.ward_code,
            sa.func.sum(sa.case((Merchant.status == "verified", 1), else_=0)),
            sa.func.count(),
        )
        .join(Merchant, Merchant.zone_id == MarketZone.id)
        .where(Merchant.status != "rejected")
        .group_by(MarketZone.ward_code)
    )
    return {code: (int(verified or 0), int(total)) for code, verified, total in rows}


INDICATORS = [
    Indicator(
        id="merchant_payment_qr",
        name="Hộ kinh doanh chợ 4.0 có mã QR thanh toán",
        description=(
            "Tỷ lệ hộ kinh doanh đã được xác minh (có mã VietQR) trên tổng số hộ đăng ký, "
            "không tính hồ sơ bị từ chối."
        ),
        target=1.0,
        unit="ratio",
        measure=merchants_with_payment_qr,
        position=40,
        deadline=PLAN_DEADLINE,
        source=PLAN_SOURCE,
    )
]
