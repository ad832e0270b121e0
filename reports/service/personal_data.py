"""Personal data held by the field-reports module: export and erasure.

Erasure unlinks the person from their reports and keeps the reports: they are public records
of the ward's work (the board, the on-time indicator), and without the link they are
anonymous. What they wrote and photographed stays as it was published; the position was
stored coarse (about 11 m) from the start.
"""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.fields import local_isoformat
from app.identity.models import User
from reports.models import Report, ReportEvent, ReportModeration


def export_data(user: User) -> dict:
    """Return the person's reports: what they sent, where, and what became of them."""
    reports = db.session.scalars(
        sa.select(Report)
        .where(Report.reporter_id == user.id)
        .options(selectinload(Report.photos), selectinload(Report.rating))
        .order_by(Report.id)
    )
    return {
        "field_reports": [
            {
                "id": r.id,
                "ward": r.ward_code,
                "category": r.category.code,
                "description": r.description,
                "lat": r.lat,
                "long": r.long,
                "address": r.address,
                "status": r.status,
                "created_at": local_isoformat(r.created_at),
                "photos": len(r.photos),
                "rating": r.rating.stars if r.rating else None,
            }
            for r in reports
        ]
    }


def erase(user: User) -> None:
    """Unlink the person from the reports they sent and from the acts they did as staff."""
    db.session.execute(
        sa.update(Report)
        .where(Report.reporter_id == user.id)
        .values(reporter_id=None)
        .execution_options(synchronize_session=False)
    )
    for model in (ReportEvent, ReportModeration):
        db.session.execute(
            sa.update(model)
            .where(model.actor_id == user.id)
            .values(actor_id=None)
            .execution_options(synchronize_session=False)
        )
    db.session.flush()
