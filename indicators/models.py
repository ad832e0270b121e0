"""Daily snapshots of every unit's indicators: the history the trend and the reports read."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base, UTCDateTime


class KpiSnapshot(Base):
    """One indicator of one unit on one local day, as last measured that day.

    Written only by `indicators.history.snapshot` (the CLI and the worker); past days are never
    rewritten. `measured_at` is when the day's values were last found changed.
    """

    __tablename__ = "kpi_snapshot"

    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    ward_code: Mapped[str] = mapped_column(
        sa.String(5), sa.ForeignKey("ward.code"), primary_key=True
    )
    indicator_id: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    numerator: Mapped[int] = mapped_column()
    denominator: Mapped[int | None] = mapped_column()
    value: Mapped[float | None] = mapped_column(sa.Float)
    measured_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        # A unit's series of one indicator, by day.
        sa.Index("ix_kpi_snapshot_series", "ward_code", "indicator_id", "day"),
    )
