"""The market module's lines of a ward's monthly report: merchants with a payment QR code
(app/registry.py `MonthlyFigure`)."""

from datetime import date

import sqlalchemy as sa

from app.database import utcnow
from app.extensions import db
from app.fields import local_days_bounds
from app.registry import MonthlyFigure
from miniapps.market.models import MarketZone, Merchant

SECTION = "Chợ 4.0"


def monthly_figures(ward_code: str, first: date, last: date) -> list[MonthlyFigure]:
    """Return the market lines of a ward's report for local days first..last.

    A verified merchant is one with a payment QR code (the indicator's rule); counted are those
    verified now whose verification dates from before the month's end (or now), and the ones
    among them verified during the month.
    """
    start, end = local_days_bounds(first, last)
    at = min(end, utcnow())
    verified = sa.and_(
        MarketZone.ward_code == ward_code,
        Merchant.status == "verified",
        Merchant.verified_at < at,
    )
    total, new = db.session.execute(
        sa.select(
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(sa.case((Merchant.verified_at >= start, 1), else_=0)), 0),
        )
        .select_from(Merchant)
        .join(MarketZone, MarketZone.id == Merchant.zone_id)
        .where(verified)
    ).one()
    return [
        MonthlyFigure(SECTION, "Hộ kinh doanh đã xác minh, có mã QR thanh toán", int(total)),
        MonthlyFigure(SECTION, "Trong đó xác minh mới trong tháng", int(new)),
    ]
