"""Webhook endpoints and their deliveries: the one writer of the module's tables.

The request side registers, lists, deletes and re-enables endpoints, replays a delivery and
sends a test event. The worker side (`deliver_due`, the `webhooks.deliver` job every second)
fans undispatched events out to deliveries, claims due deliveries under a lease, sends them
outside any transaction (integrations/webhooks/sender.py) and records what happened.
"""

from __future__ import annotations

import json
import secrets
import time
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import aliased

from app.audit import SYSTEM_ACTOR
from app.audit import record as audit_record
from app.database import dialect_insert, intend_write, transaction, utcnow
from app.errors import ValidationFailed
from app.events import emit
from app.events.models import Event
from app.events.service import event_types
from app.extensions import db
from app.fields import local_isoformat
from app.identity.models import User
from integrations.webhooks import signing
from integrations.webhooks.exceptions import DeliveryNotFound, EndpointDisabled, EndpointNotFound
from integrations.webhooks.models import (
    DELIVERED,
    ERROR_MAX,
    FAILED,
    PENDING,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookSubscription,
)
from integrations.webhooks.sender import Outcome, Outgoing, Sender
from integrations.webhooks.targets import TargetRefused, allow_private, check_url

TEST_EVENT = "webhook.test"
# Standard Webhooks' retry schedule: the delay before each retry after a failed attempt.
RETRY_DELAYS = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
)
# A worker holds what it claimed this long; a worker that dies mid-batch frees it then. A claim
# never takes more than its threads can send within the lease (`claim_plan`).
LEASE = timedelta(minutes=2)
# Added to every lease beyond the batch's worst sending time: resolving names, signing, recording.
LEASE_SLACK = timedelta(seconds=30)
# How long the delivery log and the events are kept (`purge`, the `webhooks.purge` job).
DELIVERY_RETENTION = timedelta(days=30)
EVENT_RETENTION = timedelta(days=90)
PURGE_BATCH = 1000
GONE_REASON = "Máy nhận trả lời 410 Gone: điểm nhận đã được tắt."
STOPPED_ERROR = "Không gửi nữa: điểm nhận đã bị tắt."


# --- endpoints ----------------------------------------------------------------------------


def subscribable_types() -> dict:
    """Return the event types an endpoint may subscribe to (every declared one but the test)."""
    return {name: kind for name, kind in event_types().items() if name != TEST_EVENT}


def _check_events(names: list[str]) -> list[str]:
    known = subscribable_types()
    unknown = [name for name in names if name not in known]
    if unknown:
        raise ValidationFailed.on_field(
            "events",
            "Loại sự kiện",
            f"Không có loại sự kiện {', '.join(unknown)}. Các loại có: {', '.join(sorted(known))}.",
        )
    return sorted(set(names))


def _check_target(url: str) -> None:
    try:
        check_url(url, private_ok=allow_private())
    except TargetRefused as exc:
        raise ValidationFailed.on_field("url", "Địa chỉ nhận", str(exc)) from None


def create_endpoint(
    *,
    url: str,
    events: list[str],
    ward_code: str | None,
    description: str,
    created_by: User,
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint; return it and its secret (shown this once, stored encrypted)."""
    types = _check_events(events)
    _check_target(url)
    secret = signing.new_secret()
    endpoint = WebhookEndpoint(
        url=url,
        ward_code=ward_code,
        secret=signing.encrypt(secret),
        description=description,
        created_by_id=created_by.id,
        created_at=utcnow(),
        active=True,
        subscriptions=[WebhookSubscription(event_type=name) for name in types],
    )
    db.session.add(endpoint)
    db.session.flush()
    _audit("webhook.created", endpoint)
    return endpoint, secret


def _audit(action: str, endpoint: WebhookEndpoint, *, actor=None) -> None:
    """Write a change of an endpoint to its ward's audit log (every-ward ones: the city's).

    The label names the receiving host only: a URL's path or query may carry a secret."""
    host = urlsplit(endpoint.url).hostname or ""
    audit_record(
        action,
        "webhook_endpoint",
        endpoint.id,
        f"Điểm nhận #{endpoint.id} ({host})",
        ward_code=endpoint.ward_code,
        actor=actor,
    )


def get_endpoint(endpoint_id: int) -> WebhookEndpoint:
    """Return an endpoint (404 when there is none)."""
    found = db.session.get(WebhookEndpoint, endpoint_id)
    if found is None:
        raise EndpointNotFound("Không tìm thấy điểm nhận webhook này.")
    return found


def list_endpoints(*, ward_codes: set[str] | None, every_ward: bool) -> list[WebhookEndpoint]:
    """Return the endpoints of these wards (None: all wards), and the every-ward ones if asked."""
    query = sa.select(WebhookEndpoint).order_by(WebhookEndpoint.id.desc())
    if ward_codes is not None:
        clause = WebhookEndpoint.ward_code.in_(sorted(ward_codes))
        if every_ward:
            clause = sa.or_(clause, WebhookEndpoint.ward_code.is_(None))
        query = query.where(clause)
    elif not every_ward:
        query = query.where(WebhookEndpoint.ward_code.is_not(None))
    return list(db.session.scalars(query))


def delete_endpoint(endpoint: WebhookEndpoint) -> None:
    """Delete an endpoint with its deliveries and their log (nothing more is sent to it)."""
    _audit("webhook.deleted", endpoint)
    db.session.delete(endpoint)
    db.session.flush()


def enable_endpoint(endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Enable a disabled endpoint again (its URL checked again); new events reach it."""
    _check_target(endpoint.url)
    endpoint.active = True
    endpoint.disabled_at = None
    endpoint.disabled_reason = None
    db.session.flush()
    _audit("webhook.enabled", endpoint)
    return endpoint


def pending_counts(endpoint_ids: list[int]) -> dict[int, int]:
    """Return how many deliveries wait to be sent, by endpoint."""
    if not endpoint_ids:
        return {}
    rows = db.session.execute(
        sa.select(WebhookDelivery.endpoint_id, sa.func.count())
        .where(WebhookDelivery.endpoint_id.in_(endpoint_ids), WebhookDelivery.status == PENDING)
        .group_by(WebhookDelivery.endpoint_id)
    )
    return dict(rows.all())


# --- deliveries ---------------------------------------------------------------------------


def list_deliveries(
    endpoint: WebhookEndpoint, *, before_id: int | None, limit: int
) -> list[tuple[WebhookDelivery, Event]]:
    """Return up to `limit` of an endpoint's deliveries with their events, newest first."""
    query = (
        sa.select(WebhookDelivery, Event)
        .join(Event, Event.id == WebhookDelivery.event_id)
        .where(WebhookDelivery.endpoint_id == endpoint.id)
        .order_by(WebhookDelivery.id.desc())
        .limit(limit)
    )
    if before_id is not None:
        query = query.where(WebhookDelivery.id < before_id)
    return [(d, e) for d, e in db.session.execute(query).all()]


def attempts_of(delivery_ids: list[int]) -> dict[int, list[WebhookAttempt]]:
    """Return the attempts of these deliveries, newest first, in one query."""
    found: dict[int, list[WebhookAttempt]] = {i: [] for i in delivery_ids}
    if delivery_ids:
        rows = db.session.scalars(
            sa.select(WebhookAttempt)
            .where(WebhookAttempt.delivery_id.in_(delivery_ids))
            .order_by(WebhookAttempt.id.desc())
        )
        for attempt in rows:
            found[attempt.delivery_id].append(attempt)
    return found


def get_delivery(endpoint: WebhookEndpoint, delivery_id: int) -> WebhookDelivery:
    """Return a delivery of this endpoint (404 otherwise)."""
    found = db.session.get(WebhookDelivery, delivery_id)
    if found is None or found.endpoint_id != endpoint.id:
        raise DeliveryNotFound("Không tìm thấy lần gửi này.")
    return found


def replay(endpoint: WebhookEndpoint, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again soon, with the same webhook-id and a fresh retry schedule."""
    if not endpoint.active:
        raise EndpointDisabled("Điểm nhận đang tắt; hãy bật lại trước khi gửi lại.")
    delivery.status = PENDING
    delivery.round_attempts = 0
    delivery.next_attempt_at = utcnow()
    # A worker still sending the previous try will not overwrite this (its lease is gone).
    delivery.leased_until = None
    delivery.lease_token = None
    db.session.flush()
    _audit("webhook.replayed", endpoint)
    return delivery


def send_test(endpoint: WebhookEndpoint) -> tuple[WebhookDelivery, Event]:
    """Emit a test event for this endpoint only and queue its delivery now."""
    if not endpoint.active:
        raise EndpointDisabled("Điểm nhận đang tắt; hãy bật lại trước khi gửi thử.")
    msg_id = emit(
        TEST_EVENT,
        {
            "endpoint_id": endpoint.id,
            "message": "Sự kiện thử từ Phường Xã Số: chữ ký đúng là webhook đã thông.",
        },
    )
    event = db.session.scalars(sa.select(Event).where(Event.msg_id == msg_id)).one()
    # Nobody else gets it: the worker's fan-out skips it.
    event.dispatched = True
    now = utcnow()
    delivery = WebhookDelivery(
        endpoint_id=endpoint.id,
        event_id=event.id,
        status=PENDING,
        round_attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    db.session.add(delivery)
    db.session.flush()
    return delivery, event


# --- the worker ---------------------------------------------------------------------------


def _is_postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def fan_out(*, limit: int = 1000, now: datetime | None = None) -> int:
    """Turn up to `limit` undispatched events into deliveries; return how many events.

    Each event goes to the active endpoints subscribed to its type whose ward is the event's
    (or every ward). The events are claimed under lock (SKIP LOCKED on PostgreSQL; SQLite has
    one writer), so two workers never fan out the same event; the unique (endpoint, event)
    makes a repeat harmless anyway.
    """
    now = now or utcnow()
    claim = sa.select(Event.id).where(Event.dispatched.is_(False)).order_by(Event.id).limit(limit)
    if _is_postgres():
        claim = claim.with_for_update(skip_locked=True)
    ids = list(db.session.scalars(claim))
    if not ids:
        return 0
    matching = (
        sa.select(
            WebhookEndpoint.id,
            Event.id,
            sa.literal(PENDING),
            sa.literal(0),
            sa.literal(now, WebhookDelivery.next_attempt_at.type),
            sa.literal(now, WebhookDelivery.created_at.type),
        )
        .select_from(Event)
        .join(WebhookSubscription, WebhookSubscription.event_type == Event.type)
        .join(
            WebhookEndpoint,
            sa.and_(
                WebhookEndpoint.id == WebhookSubscription.endpoint_id,
                WebhookEndpoint.active.is_(True),
                sa.or_(
                    WebhookEndpoint.ward_code.is_(None),
                    WebhookEndpoint.ward_code == Event.ward_code,
                ),
            ),
        )
        .where(Event.id.in_(ids))
    )
    columns = ["endpoint_id", "event_id", "status", "round_attempts", "next_attempt_at"]
    db.session.execute(
        dialect_insert(WebhookDelivery)
        .from_select([*columns, "created_at"], matching)
        .on_conflict_do_nothing(index_elements=["endpoint_id", "event_id"])
    )
    db.session.execute(sa.update(Event).where(Event.id.in_(ids)).values(dispatched=True))
    return len(ids)


def body_of(event_type: str, occurred_at: datetime, data) -> bytes:
    """Return a webhook's body, `{type, timestamp, data}` as compact UTF-8 JSON."""
    payload = {"type": event_type, "timestamp": local_isoformat(occurred_at), "data": data}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def claim_due(
    *,
    limit: int,
    per_endpoint: int | None = None,
    lease: timedelta = LEASE,
    now: datetime | None = None,
) -> list[Outgoing]:
    """Lease up to `limit` due deliveries of active endpoints; return them ready to send.

    At most `per_endpoint` of one endpoint's (its earliest due): one receiver's backlog, or a
    slow receiver, never fills a whole claim while others' deliveries wait. The items come
    back interleaved by endpoint, so each endpoint's first ones are sent first.

    The lease is taken with one conditional UPDATE (its rows picked with SKIP LOCKED on
    PostgreSQL), so two workers never hold the same delivery: the second finds it leased.
    """
    now = now or utcnow()
    token = secrets.token_hex(8)
    D = WebhookDelivery
    free = sa.or_(D.leased_until.is_(None), D.leased_until < now)
    candidates = (
        sa.select(D.id)
        .join(WebhookEndpoint, WebhookEndpoint.id == D.endpoint_id)
        .where(D.status == PENDING, D.next_attempt_at <= now, free, WebhookEndpoint.active)
    )
    if per_endpoint is not None:
        rank = (
            sa.func.row_number()
            .over(partition_by=D.endpoint_id, order_by=(D.next_attempt_at, D.id))
            .label("rank")
        )
        ranked = candidates.add_columns(rank).subquery("ranked")
        first = sa.select(ranked.c.id).where(ranked.c.rank <= per_endpoint)
        candidates = sa.select(D.id).where(D.id.in_(first), D.status == PENDING, free)
    due = candidates.order_by(D.next_attempt_at, D.id).limit(limit)
    if _is_postgres():
        # A CTE, run once: as an IN (subquery) PostgreSQL may rescan it during the UPDATE, and
        # each rescan skips the rows just updated and locks LIMIT more (found by the tests).
        picked = due.with_for_update(of=D, skip_locked=True).cte("due")
        claim = sa.update(D).where(D.id == picked.c.id)
    else:
        claim = sa.update(D).where(D.id.in_(due.scalar_subquery()))
    leased = db.session.execute(
        claim.where(D.status == PENDING, free)
        .values(leased_until=now + lease, lease_token=token)
        .returning(D.id)
        .execution_options(synchronize_session=False)
    ).all()
    if not leased:
        return []
    rows = db.session.execute(
        sa.select(
            D.id,
            D.endpoint_id,
            WebhookEndpoint.url,
            WebhookEndpoint.secret,
            Event.id,
            Event.msg_id,
            Event.type,
            Event.occurred_at,
            Event.data,
        )
        .join(WebhookEndpoint, WebhookEndpoint.id == D.endpoint_id)
        .join(Event, Event.id == D.event_id)
        .where(D.id.in_([row[0] for row in leased]))
        .order_by(D.id)
    ).all()
    keys: dict[int, bytes] = {}
    bodies: dict[int, bytes] = {}
    out = []
    for delivery_id, endpoint_id, url, secret, event_id, msg_id, kind, at, data in rows:
        if endpoint_id not in keys:
            keys[endpoint_id] = signing.secret_bytes(signing.decrypt(secret))
        if event_id not in bodies:
            bodies[event_id] = body_of(kind, at, data)
        out.append(
            Outgoing(
                delivery_id=delivery_id,
                lease_token=token,
                endpoint_id=endpoint_id,
                url=url,
                msg_id=msg_id,
                body=bodies[event_id],
                key=keys[endpoint_id],
            )
        )
    # Each endpoint's first, then each one's second, …: the thread pool starts them in order.
    rank: dict[int, int] = {}
    order = {}
    for item in out:
        rank[item.endpoint_id] = rank.get(item.endpoint_id, 0) + 1
        order[item.delivery_id] = (rank[item.endpoint_id], item.endpoint_id, item.delivery_id)
    return sorted(out, key=lambda item: order[item.delivery_id])


def record(outcomes: list[Outcome]) -> None:
    """Log each attempt and move its delivery: delivered, retried later, or failed.

    A delivery whose lease was taken back meanwhile (a replay) keeps its new state; only the
    attempt is logged. A 410 Gone disables the endpoint and stops its pending deliveries.
    """
    if not outcomes:
        return
    D = WebhookDelivery
    ids = [o.delivery_id for o in outcomes]
    lock = sa.select(D.id, D.round_attempts, D.lease_token).where(D.id.in_(ids))
    if _is_postgres():
        lock = lock.with_for_update()  # an endpoint deleted meanwhile waits, or is gone here
    current = {row[0]: (row[1], row[2]) for row in db.session.execute(lock).all()}
    attempts, updates, gone = [], [], set()
    for o in outcomes:
        if o.delivery_id not in current:
            continue  # deleted with its endpoint while being sent
        attempts.append(
            {
                "delivery_id": o.delivery_id,
                "at": o.at,
                "status_code": o.status_code,
                "error": (o.error or None) and o.error[:ERROR_MAX],
                "duration_ms": o.duration_ms,
            }
        )
        round_attempts, token = current[o.delivery_id]
        if token != o.lease_token:
            continue
        tried = round_attempts + 1
        change = {
            "b_id": o.delivery_id,
            "b_round": tried,
            "b_code": o.status_code,
            "b_error": (o.error or None) and o.error[:ERROR_MAX],
            "b_status": PENDING,
            "b_next": None,
            "b_delivered": None,
        }
        if o.delivered:
            change.update(b_status=DELIVERED, b_delivered=o.at, b_error=None)
        elif o.gone:
            change.update(b_status=FAILED, b_error=GONE_REASON)
            gone.add(o.endpoint_id)
        elif tried > len(RETRY_DELAYS):
            change.update(b_status=FAILED)
        else:
            change.update(b_next=o.at + RETRY_DELAYS[tried - 1])
        updates.append(change)
    if attempts:
        db.session.execute(sa.insert(WebhookAttempt), attempts)
    if updates:
        stamp = WebhookDelivery.next_attempt_at.type
        db.session.connection().execute(
            sa.update(D.__table__)
            .where(D.__table__.c.id == sa.bindparam("b_id"))
            .values(
                status=sa.bindparam("b_status"),
                round_attempts=sa.bindparam("b_round"),
                last_status_code=sa.bindparam("b_code"),
                last_error=sa.bindparam("b_error"),
                next_attempt_at=sa.bindparam("b_next", type_=stamp),
                delivered_at=sa.bindparam("b_delivered", type_=stamp),
                leased_until=None,
                lease_token=None,
            ),
            updates,
        )
    for endpoint_id in sorted(gone):
        disable(endpoint_id, reason=GONE_REASON)


def disable(endpoint_id: int, *, reason: str, now: datetime | None = None) -> None:
    """Disable an endpoint and fail its pending deliveries (replay them after enabling it).

    The worker does this by itself (the receiver answered 410 Gone): the audit log says the
    system acted, in the endpoint's ward."""
    now = now or utcnow()
    changed = db.session.execute(
        sa.update(WebhookEndpoint)
        .where(WebhookEndpoint.id == endpoint_id, WebhookEndpoint.active)
        .values(active=False, disabled_at=now, disabled_reason=reason)
    ).rowcount
    if changed:
        endpoint = db.session.get(WebhookEndpoint, endpoint_id)
        if endpoint is not None:
            _audit("webhook.disabled", endpoint, actor=SYSTEM_ACTOR)
    db.session.execute(
        sa.update(WebhookDelivery)
        .where(WebhookDelivery.endpoint_id == endpoint_id, WebhookDelivery.status == PENDING)
        .values(
            status=FAILED,
            last_error=STOPPED_ERROR,
            next_attempt_at=None,
            leased_until=None,
            lease_token=None,
        )
    )


_senders: dict[tuple, Sender] = {}


def sender(app=None) -> Sender:
    """Return this process's sender for the app's settings (threads kept between runs)."""
    app = app or current_app
    key = (
        allow_private(app),
        float(app.config["WEBHOOK_TIMEOUT"]),
        int(app.config["WEBHOOK_SEND_THREADS"]),
    )
    found = _senders.get(key)
    if found is None:
        found = _senders[key] = Sender(private_ok=key[0], timeout=key[1], threads=key[2])
    return found


def has_work(now: datetime | None = None) -> bool:
    """Tell whether an event waits to be fanned out or a delivery could be claimed (a read only).

    The job runs every second: an idle run must not take SQLite's write lock twice a second.
    Deliveries another worker holds, and those of a disabled endpoint, are no work here.
    """
    now = now or utcnow()
    D = WebhookDelivery
    intend_write(False)
    try:
        undispatched = sa.select(Event.id).where(Event.dispatched.is_(False)).limit(1)
        due = (
            sa.select(D.id)
            .join(WebhookEndpoint, WebhookEndpoint.id == D.endpoint_id)
            .where(
                D.status == PENDING,
                D.next_attempt_at <= now,
                sa.or_(D.leased_until.is_(None), D.leased_until < now),
                WebhookEndpoint.active,
            )
            .limit(1)
        )
        return (
            db.session.execute(undispatched).first() is not None
            or db.session.execute(due).first() is not None
        )
    finally:
        db.session.rollback()
        intend_write(True)


def claim_plan(send: Sender, *, batch: int) -> tuple[int, int, timedelta]:
    """Return how many deliveries to claim, at most how many of one endpoint, and the lease.

    Every item of a claim may take the sender's worst attempt time (connect + read timeout), and
    the pool sends `threads` at a time: a claim of threads × rounds lasts at most rounds × worst.
    The rounds fit in the lease (one round at least, the lease then lengthened to cover it), so
    a batch never outlasts its lease: another worker
    would send it again, and this one's outcomes would be dropped. One endpoint gets at most
    half the threads, so a slow receiver leaves the others threads to be sent on.
    """
    worst = send.worst_attempt_seconds
    # The lease, not the run's budget, bounds a claim: claims of a few items each would make a
    # fast receiver's backlog cost one claim query per handful of deliveries. The budget is
    # checked before each claim, so a slow receiver can keep a stopping worker at most a lease.
    rounds = max(1, int(LEASE.total_seconds() // worst))
    limit = max(1, min(batch, send.threads * rounds))
    per_endpoint = max(1, min(limit, send.threads // 2 * rounds))
    lease = max(LEASE, timedelta(seconds=rounds * worst)) + LEASE_SLACK
    return limit, per_endpoint, lease


def deliver_due(*, batch: int = 500, budget_seconds: float = 10.0) -> int:
    """Fan out new events, then send due deliveries batch by batch; return how many were sent.

    Each step is a transaction of its own and the sending happens between them, outside any
    transaction: a slow receiver never holds a lock. Each claim is sized by `claim_plan` so its
    batch ends within its lease; no claim starts once `budget_seconds` is spent, so the loop
    can sleep (a fast receiver's claim takes well under a second; a slow one's, at most the
    lease).
    """
    if not has_work():
        return 0
    deadline = time.monotonic() + budget_seconds
    while True:
        with transaction():
            done = fan_out()
        if done < 1000 or time.monotonic() > deadline:
            break
    sent = 0
    send = sender()
    while deadline - time.monotonic() > 0:
        limit, per_endpoint, lease = claim_plan(send, batch=batch)
        with transaction():
            items = claim_due(limit=limit, per_endpoint=per_endpoint, lease=lease)
        if not items:
            break
        outcomes = send.send_all(items)
        with transaction():
            record(outcomes)
        sent += len(outcomes)
    return sent


# --- retention ----------------------------------------------------------------------------


def purge(*, now: datetime | None = None, batch: int = PURGE_BATCH) -> int:
    """Delete old delivery logs and events, `batch` rows per transaction; return how many.

    A delivered or failed delivery goes, with its attempts, once nothing happened to it for
    DELIVERY_RETENTION (no attempt since, not delivered since). A dispatched event goes after
    EVENT_RETENTION once no delivery refers to it, except the newest event of each feed: the
    change feed's head is the feed's highest `seq`, and a cursor at it must stay valid.
    """
    now = now or utcnow()
    done = 0
    while True:
        with transaction():
            found = _purge_deliveries(now - DELIVERY_RETENTION, batch)
        done += found
        if found < batch:
            break
    while True:
        with transaction():
            found = _purge_events(now - EVENT_RETENTION, batch)
        done += found
        if found < batch:
            break
    return done


def _purge_deliveries(before: datetime, batch: int) -> int:
    D, A = WebhookDelivery, WebhookAttempt
    settled = sa.and_(
        D.status.in_([DELIVERED, FAILED]),
        D.created_at < before,
        sa.or_(D.delivered_at.is_(None), D.delivered_at < before),
        ~sa.exists().where(A.delivery_id == D.id, A.at >= before),
    )
    ids = list(db.session.scalars(sa.select(D.id).where(settled).order_by(D.id).limit(batch)))
    if not ids:
        return 0
    # Checked again: a replay since the select made it pending.
    gone = list(
        db.session.scalars(
            sa.delete(D)
            .where(D.id.in_(ids), D.status.in_([DELIVERED, FAILED]))
            .returning(D.id)
            .execution_options(synchronize_session=False)
        )
    )
    if gone:  # the foreign key cascades; said here too, so nothing depends on it
        db.session.execute(
            sa.delete(A).where(A.delivery_id.in_(gone)).execution_options(synchronize_session=False)
        )
    return len(gone)


def _purge_events(before: datetime, batch: int) -> int:
    newer = aliased(Event)
    old = (
        sa.select(Event.id)
        .where(
            Event.dispatched.is_(True),
            Event.occurred_at < before,
            sa.exists().where(newer.feed == Event.feed, newer.seq > Event.seq),
            ~sa.exists().where(WebhookDelivery.event_id == Event.id),
        )
        .order_by(Event.id)
        .limit(batch)
    )
    ids = list(db.session.scalars(old))
    if not ids:
        return 0
    db.session.execute(
        sa.delete(Event)
        .where(Event.id.in_(ids), ~sa.exists().where(WebhookDelivery.event_id == Event.id))
        .execution_options(synchronize_session=False)
    )
    return len(ids)
