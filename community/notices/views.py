"""Notice endpoints: publish, read, withdraw, statistics, categories and the feed."""

from datetime import datetime

from flask import Response, current_app
from flask_smorest import Blueprint

from app.database import utcnow
from app.errors import ValidationFailed
from app.idempotency import idempotent_create
from app.identity import auth, policy
from app.identity.policy import require
from app.pagination import decode_cursor, decode_id_cursor, encode_cursor, page
from app.wards import service as wards
from community import citywide, permissions
from community.notices import service
from community.notices.exceptions import BroadcastNotFound, NoticeNotFound
from community.notices.images import MAX_BYTES as MAX_UPLOAD
from community.notices.models import (
    CATEGORIES,
    Notice,
    NoticeBroadcast,
    NoticeImage,
    status_label,
)
from community.notices.schemas import (
    BroadcastCreatedSchema,
    BroadcastListSchema,
    BroadcastReachSchema,
    CategoryListSchema,
    FeedArgsSchema,
    FeedSchema,
    FeedSeenSchema,
    ImageSchema,
    ImageUploadSchema,
    NoticeCreatedSchema,
    NoticeCreateSchema,
    NoticeSchema,
    NoticeStatsSchema,
    UnreadCountSchema,
    WardNoticeListArgsSchema,
    WardNoticeListSchema,
)
from community.notices.service import broadcasts

blp = Blueprint("notices", __name__, description="Thông báo của phường, xã và cộng đồng")


def _image_out(image: NoticeImage) -> dict:
    return {
        "id": image.id,
        "url": f"/api/v1/notices/{image.notice_id}/images/{image.id}",
        "mimetype": image.mimetype,
        "width": image.width,
        "height": image.height,
        "size": image.size,
    }


def _notice_out(notice: Notice, *, read: bool) -> dict:
    return {
        "id": notice.id,
        "ward": notice.ward_code,
        "title": notice.title,
        "body": notice.body,
        "category": {"code": notice.category, "label": CATEGORIES[notice.category]},
        "priority": notice.priority,
        "pinned": notice.pinned,
        "status": notice.status,
        "status_label": status_label(notice.status, notice.published_at, utcnow()),
        "community_ids": [c.community_id for c in notice.communities],
        "author_name": notice.author.name if notice.author else None,
        "department": _sender_out(notice.department),
        "broadcast_id": notice.broadcast_id,
        "publish_at": notice.publish_at,
        "published_at": notice.published_at,
        "expires_at": notice.expires_at,
        "created_at": notice.created_at,
        "images": [_image_out(i) for i in notice.images],
        "read": read,
    }


def _sender_out(department) -> dict | None:
    if department is None:
        return None
    return {
        "code": department.code,
        "name": department.name,
        "short_name": department.short_name,
    }


def _readable(notice_id: int) -> tuple[Notice, object, bool]:
    """Return the notice the caller may read; otherwise the same 404 as a missing one."""
    user = auth.current_user()
    notice = service.get(notice_id)
    manager = permissions.is_notice_manager(user, notice)
    if not service.can_read(user, notice, manager=manager):
        raise NoticeNotFound("Không tìm thấy thông báo này.")
    return notice, user, manager


@blp.get("/api/v1/notice-categories")
@blp.response(200, CategoryListSchema)
def list_categories():
    """List the notice categories with their Vietnamese labels."""
    return {"items": [{"code": code, "label": label} for code, label in CATEGORIES.items()]}


_CREATED_DOC = {
    "responses": {
        "201": {
            "description": "The notice; with `wards`, the city-wide notice (its broadcast).",
            "content": {
                "application/json": {
                    "schema": {
                        "oneOf": [
                            {"$ref": "#/components/schemas/NoticeCreated"},
                            {"$ref": "#/components/schemas/BroadcastCreated"},
                        ]
                    }
                }
            },
        }
    }
}


@blp.post("/api/v1/notices")
@idempotent_create(blp)
@blp.arguments(NoticeCreateSchema)
@blp.response(201, NoticeCreatedSchema)
@blp.doc(**_CREATED_DOC)
def create_notice(args):
    """Publish a notice: ward staff ward-wide or to their ward's communities, leaders to
    theirs; with `wards`, one notice to each of many wards (city admins, department staff)."""
    user = auth.require_user()
    department_code = citywide.sender(user, args["department"], "thông báo")
    if args["wards"] is not None:
        return _create_broadcast(user, args, department_code)
    ward = wards.get(args["ward"])
    require(
        permissions.can_publish(
            user,
            ward_code=ward.code,
            community_ids=args["community_ids"],
            department_code=department_code,
        ),
        "Bạn không có quyền đăng thông báo tới nơi này.",
    )
    notice = service.create(
        author=user,
        ward_code=ward.code,
        title=args["title"],
        body=args["body"],
        category=args["category"],
        priority=args["priority"],
        pinned=args["pinned"],
        status=args["status"],
        community_ids=args["community_ids"],
        publish_at=args["publish_at"],
        expires_at=args["expires_at"],
        department_code=department_code,
    )
    return _notice_out(notice, read=False)


def _create_broadcast(user, args: dict, department_code: str | None) -> Response:
    """Send one notice to each of the named wards; answer the broadcast (201)."""
    targets = citywide.resolve_wards(args["wards"])
    citywide.require_reach(
        user,
        targets,
        department_code=department_code,
        may=lambda w: permissions.can_publish(
            user, ward_code=w.code, community_ids=[], department_code=department_code
        ),
        noun="thông báo",
    )
    broadcast = broadcasts.create(
        author=user,
        wards=targets,
        department_code=department_code,
        title=args["title"],
        body=args["body"],
        category=args["category"],
        priority=args["priority"],
        pinned=args["pinned"],
        publish_at=args["publish_at"],
        expires_at=args["expires_at"],
    )
    out = BroadcastCreatedSchema().dump(_broadcast_out(broadcast, with_notices=True))
    response = current_app.json.response(out)
    response.status_code = 201
    return response


def _broadcast_out(
    broadcast: NoticeBroadcast,
    *,
    reach: broadcasts.Reach | None = None,
    with_notices: bool = False,
    rows: list | None = None,
) -> dict:
    """Build a city-wide notice as its senders see it (reach: from its notices' counters)."""
    if rows is None and (with_notices or reach is None):
        rows = broadcasts.notices_of(broadcast)
    if reach is None:
        reach = broadcasts.totals([broadcast.id]).get(broadcast.id) or broadcasts.Reach(
            wards=0, delivered=0, audience=0, read=0
        )
    first = rows[0][0] if rows else None
    status = "withdrawn" if broadcast.withdrawn_at else "published"
    publish_at = first.published_at if first else None
    out = {
        "id": broadcast.id,
        "title": broadcast.title,
        "category": {"code": first.category, "label": CATEGORIES[first.category]}
        if first
        else None,
        "department": _sender_out(broadcast.department),
        "author_name": broadcast.author.name if broadcast.author else None,
        "created_at": broadcast.created_at,
        "publish_at": publish_at,
        "withdrawn_at": broadcast.withdrawn_at,
        "status": status,
        "status_label": status_label(status, publish_at, utcnow()),
        "wards": broadcast.ward_count,
        "delivered": reach.delivered,
        "audience": reach.audience,
        "read": reach.read,
        "share": reach.share,
    }
    if with_notices:
        out["notices"] = [{"id": n.id, "ward": w.code} for n, w in rows]
    return out


def _managed_broadcast(broadcast_id: int) -> tuple[NoticeBroadcast, object]:
    """Return a broadcast the caller manages; otherwise the same 404 as a missing one."""
    user = auth.require_user()
    broadcast = broadcasts.get(broadcast_id)
    if not permissions.is_broadcast_manager(user, broadcast):
        raise BroadcastNotFound("Không tìm thấy thông báo gửi nhiều phường, xã này.")
    return broadcast, user


@blp.get("/api/v1/broadcasts")
@blp.arguments(citywide.BroadcastListArgsSchema, location="query")
@blp.response(200, BroadcastListSchema)
def list_broadcasts(args):
    """List the caller's city-wide notices, newest first, with their reach (city admins: all;
    department staff: their departments'; anyone: those they sent)."""
    user = auth.require_user()
    rows = broadcasts.list_for(
        user=user,
        department_codes=policy.staff_department_codes(user),
        before_id=decode_id_cursor(args["cursor"]),
        limit=args["limit"],
        department=args["department"],
    )
    result = page(rows, limit=args["limit"], key=lambda b: [b.id])
    reach = broadcasts.totals([b.id for b in result["items"]])
    firsts = broadcasts.first_notices([b.id for b in result["items"]])
    empty = broadcasts.Reach(wards=0, delivered=0, audience=0, read=0)
    result["items"] = [
        _broadcast_out(
            b, reach=reach.get(b.id, empty), rows=[firsts[b.id]] if b.id in firsts else []
        )
        for b in result["items"]
    ]
    return result


@blp.get("/api/v1/broadcasts/<int:broadcast_id>")
@blp.response(200, BroadcastReachSchema)
def get_broadcast(broadcast_id):
    """Get a city-wide notice's reach per ward and in total (its senders, city admins)."""
    broadcast, _ = _managed_broadcast(broadcast_id)
    return _reach_out(broadcast)


def _reach_out(broadcast: NoticeBroadcast) -> dict:
    rows = broadcasts.notices_of(broadcast)
    out = _broadcast_out(broadcast, with_notices=True, rows=rows)
    out["items"] = [
        {
            "ward": ward.code,
            "name": ward.name,
            "notice_id": notice.id,
            "status": notice.status,
            "delivered": notice.delivered_at is not None,
            "audience": notice.audience_count,
            "read": notice.read_count,
            "share": round(notice.read_count / notice.audience_count, 4)
            if notice.audience_count
            else 0.0,
        }
        for notice, ward in rows
    ]
    return out


@blp.post("/api/v1/broadcasts/<int:broadcast_id>/withdraw")
@blp.response(200, BroadcastCreatedSchema)
def withdraw_broadcast(broadcast_id):
    """Withdraw a city-wide notice from every ward's feed (its senders, city admins); its
    reach stays."""
    broadcast, _ = _managed_broadcast(broadcast_id)
    broadcasts.withdraw(broadcast)
    return _broadcast_out(broadcast, with_notices=True)


@blp.get("/api/v1/wards/<ward>/notices")
@blp.arguments(WardNoticeListArgsSchema, location="query")
@blp.response(200, WardNoticeListSchema)
def list_ward_notices(args, ward):
    """List a ward's notices, newest first (its staff: all; leaders: their communities')."""
    user = auth.require_user()
    found = wards.get(ward)
    scope = permissions.notice_list_scope(user, found.code)
    require(
        scope is not None,
        "Chỉ cán bộ phường, xã hoặc người phụ trách cộng đồng mới xem được danh sách này.",
    )
    rows = service.list_for_ward(
        ward_code=found.code,
        status=args["status"],
        community_ids=None if scope.everything or scope.public else scope.community_ids,
        viewer_id=user.id,
        after_id=decode_id_cursor(args["cursor"]),
        limit=args["limit"],
        public_only=scope.public,
    )
    result = page(rows, limit=args["limit"], key=lambda n: [n.id])
    read = service.read_ids(user=user, notice_ids=[n.id for n in result["items"]])
    result["items"] = [
        {
            **_notice_out(n, read=n.id in read),
            "delivered_at": n.delivered_at,
            "withdrawn_at": n.withdrawn_at,
        }
        for n in result["items"]
    ]
    return result


@blp.get("/api/v1/notices/<int:notice_id>")
@blp.response(200, NoticeSchema)
def get_notice(notice_id):
    """Get a notice (a community notice only for its community: others get 404)."""
    notice, user, _ = _readable(notice_id)
    return _notice_out(notice, read=service.has_read(notice=notice, user=user))


@blp.post("/api/v1/notices/<int:notice_id>/read")
@blp.response(200, NoticeSchema)
def mark_read(notice_id):
    """Mark a notice read (idempotent: the first read counts)."""
    auth.require_user()
    notice, user, _ = _readable(notice_id)
    service.mark_read(notice=notice, user=user)
    return _notice_out(notice, read=True)


@blp.post("/api/v1/notices/<int:notice_id>/publish")
@blp.response(200, NoticeSchema)
def publish_notice(notice_id):
    """Publish a draft (ward staff, the author)."""
    user = auth.require_user()
    notice, _, manager = _readable(notice_id)
    require(manager)
    service.publish(notice)
    return _notice_out(notice, read=service.has_read(notice=notice, user=user))


@blp.post("/api/v1/notices/<int:notice_id>/withdraw")
@blp.response(200, NoticeSchema)
def withdraw_notice(notice_id):
    """Withdraw a notice from every feed (ward staff, the author); its statistics stay."""
    user = auth.require_user()
    notice, _, manager = _readable(notice_id)
    require(manager)
    service.withdraw(notice)
    return _notice_out(notice, read=service.has_read(notice=notice, user=user))


@blp.get("/api/v1/notices/<int:notice_id>/stats")
@blp.response(200, NoticeStatsSchema)
def notice_stats(notice_id):
    """Get a notice's reach: audience at publication, delivered, read, read share."""
    auth.require_user()
    notice, _, manager = _readable(notice_id)
    require(manager, "Chỉ cán bộ phường, xã hoặc người đăng mới xem được số liệu.")
    return service.stats(notice)


def _feed_after(cursor: str | None) -> tuple | None:
    values = decode_cursor(cursor)
    if values is None:
        return None
    try:
        pinned, urgent, published_at, notice_id = values
        if not (isinstance(pinned, bool) and isinstance(urgent, bool)):
            raise TypeError
        if not isinstance(notice_id, int) or isinstance(notice_id, bool):
            raise TypeError
        moment = datetime.fromisoformat(published_at)
        if moment.tzinfo is None:
            raise TypeError
    except (ValueError, TypeError) as exc:
        raise ValidationFailed(
            "Con trỏ phân trang không hợp lệ.", details={"fields": {"cursor": ["invalid"]}}
        ) from exc
    return pinned, urgent, moment, notice_id


@blp.get("/api/v1/me/feed")
@blp.arguments(FeedArgsSchema, location="query")
@blp.response(200, FeedSchema)
def feed(args):
    """List notices for the caller's wards and communities: pinned, then urgent, then newest."""
    user = auth.require_user()
    limit = args["limit"]
    rows = service.feed_page(
        user=user,
        after=_feed_after(args["cursor"]),
        limit=limit,
        category=args["category"],
        q=args["q"],
    )
    has_more = len(rows) > limit
    rows = rows[:limit]
    notices = service.notices_by_id([r.notice_id for r in rows])
    last = rows[-1] if rows else None
    next_cursor = (
        encode_cursor([last.pinned, last.urgent, last.published_at.isoformat(), last.notice_id])
        if has_more and last
        else None
    )
    return {
        "items": [_notice_out(notices[r.notice_id], read=r.read_at is not None) for r in rows],
        "next_cursor": next_cursor,
    }


@blp.get("/api/v1/me/feed/unread-count")
@blp.response(200, UnreadCountSchema)
def unread_count():
    """Count the unread notices in the caller's feed."""
    user = auth.require_user()
    return {"unread_count": service.unread_count(user)}


@blp.post("/api/v1/me/feed/seen")
@blp.arguments(FeedSeenSchema)
@blp.response(204)
def feed_seen(args):
    """Record that the caller's app showed these notices (a delivery receipt; idempotent)."""
    user = auth.require_user()
    service.mark_delivered(user=user, notice_ids=args["notice_ids"])


@blp.post("/api/v1/notices/<int:notice_id>/images")
@idempotent_create(blp)
@blp.arguments(ImageUploadSchema, location="files")
@blp.response(201, ImageSchema)
def add_image(files, notice_id):
    """Attach a picture (ward staff, the author); it is re-encoded and stripped of metadata."""
    auth.require_user()
    notice, _, manager = _readable(notice_id)
    require(manager)
    upload = files["file"]
    try:
        raw = upload.read(MAX_UPLOAD + 1)
    finally:
        upload.close()  # a large upload is spooled to a temporary file
    return _image_out(service.add_image(notice=notice, raw=raw))


@blp.get("/api/v1/notices/<int:notice_id>/images/<int:image_id>")
@blp.response(200, content_type="image/jpeg")
def get_image(notice_id, image_id):
    """Get a picture of a notice (whoever may read the notice)."""
    notice, _, _ = _readable(notice_id)
    image = service.get_image(notice=notice, image_id=image_id)
    response = Response(image.data, mimetype=image.mimetype)
    response.headers["Cache-Control"] = "private, max-age=3600"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.set_etag(image.sha256)
    return response


@blp.delete("/api/v1/notices/<int:notice_id>/images/<int:image_id>")
@blp.response(204)
def delete_image(notice_id, image_id):
    """Remove a picture (ward staff, the author)."""
    auth.require_user()
    notice, _, manager = _readable(notice_id)
    require(manager)
    service.delete_image(service.get_image(notice=notice, image_id=image_id))
