"""`Idempotency-Key` on every create: records, replay, the view decorator, their purge."""

import sqlalchemy as sa

from app.database import transaction
from app.extensions import db
from app.idempotency import models, service
from app.idempotency.decorators import idempotent_create
from app.registry import ModuleManifest, PeriodicJob

__all__ = ["idempotent_create", "manifest"]


def purge_expired() -> int:
    """Delete the records past their retention, in a transaction of its own; return how many."""
    with transaction():
        return service.purge()


def erase(user) -> None:
    """Forget the person's pending replays (what they created stays, as its module decides)."""
    db.session.execute(
        sa.delete(models.IdempotencyRecord).where(models.IdempotencyRecord.user_id == user.id)
    )


manifest = ModuleManifest(
    name="idempotency",
    personal_data_erasers=[erase],
    periodic_jobs=[PeriodicJob("idempotency.purge", purge_expired, every_seconds=3600)],
)
