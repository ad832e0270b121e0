"""Notice endpoints: publish, read, withdraw, statistics, categories and the feed."""

from datetime import datetime

from flask import Response
from flask_smorest import Blueprint

from app.database import utcnow
from app.errors import ValidationFailed
from app.idempotency import idempotent_create
from app.identity import auth
from app.identity.policy import require
from app.pagination import decode_cursor, decode_id_cursor, encode_cursor, page
from app.wards import service as wards
from community import permissions
from community.notices import service
from community.notices.exceptions import NoticeNotFound
from community.notices.images import MAX_BYTES as MAX_UPLOAD
from community.notices.models import CATEGORIES, Notice, NoticeImage, status_label
from community.notices.schemas import (
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
        "publish_at": notice.publish_at,
        "published_at": notice.published_at,
        "expires_at": notice.expires_at,
        "created_at": notice.created_at,
        "images": [_image_out(i) for i in notice.images],
        "read": read,
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


@blp.post("/api/v1/notices")
@idempotent_create(blp)
@blp.arguments(NoticeCreateSchema)
@blp.response(201, NoticeCreatedSchema)
def create_notice(args):
    """Publish a notice: ward staff ward-wide or to their ward's communities, leaders to theirs."""
    user = auth.require_user()
    ward = wards.get(args["ward"])
    require(
        permissions.can_publish(user, ward_code=ward.code, community_ids=args["community_ids"]),
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
    )
    return _notice_out(notice, read=False)


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
        community_ids=None if scope.everything else scope.community_ids,
        viewer_id=user.id,
        after_id=decode_id_cursor(args["cursor"]),
        limit=args["limit"],
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
