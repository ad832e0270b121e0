"""Miniapp configs: templates, drafts, publishing, versions, the public read and the audit log.

A ward's published config is always `effective_config(template, published overrides, ward)`
at the time it was published; the bytes served to the public are computed once, at
publication, and stored with their strong ETag in the version row. Every ward has a version
from its first moment: `wards sync` publishes version 1 in the transaction that creates the
ward, so that no read ever writes.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from app import cache
from app.database import fetch_one_raw, utcnow
from app.errors import NotFound
from app.extensions import db
from app.fields import local_isoformat
from app.identity.models import User
from app.wards.models import Ward
from miniapps.config.canonical import canonical_bytes, strong_etag
from miniapps.config.document import ConfigValidationError, load_document
from miniapps.config.exceptions import (
    ConcurrentChange,
    InvalidConfig,
    NoChanges,
    NoDraft,
    NoPublishedVersion,
    TemplateBreaksWards,
    TemplateNotFound,
    VersionNotFound,
)
from miniapps.config.models import (
    MiniappAuditEntry,
    MiniappOverride,
    MiniappTemplate,
    MiniappVersion,
)
from miniapps.config.templates import (
    TEMPLATES,
    diff_paths,
    effective_config,
    extract_overrides,
    summarize_changes,
    template_for,
)

PUBLISHED, DRAFT = "published", "draft"
INITIAL_SUMMARY = "Tạo cấu hình ban đầu từ mẫu chung."
TEMPLATE_SUMMARY_PREFIX = "Cập nhật mẫu chung"

# Public bodies by ETag. The ETag is a hash of the bytes, so an entry can never be stale: the
# cache only saves reading the body column, never the (indexed) lookup of the latest version.
_bodies = cache.named("config.public_body", size=512)
# Ward key as written in the URL (code or slug) -> official code: neither ever changes.
_ward_codes = cache.named("config.ward_code", size=1024)


# --- Small helpers ---------------------------------------------------------------------------


def _ward_block(ward: Ward) -> dict[str, str]:
    """Return the ward block of a document."""
    return {"code": ward.code, "name": ward.name, "type": ward.type}


def _audit(
    *,
    action: str,
    actor: User | None,
    ward_code: str | None = None,
    ward_type: str | None = None,
    **details: Any,
) -> None:
    """Record one change in the audit log."""
    db.session.add(
        MiniappAuditEntry(
            action=action,
            actor_id=actor.id if actor else None,
            ward_code=ward_code,
            ward_type=ward_type,
            details=details,
        )
    )


def _override_row(ward_code: str, state: str) -> MiniappOverride | None:
    """Return a ward's published or draft overrides row."""
    return db.session.get(MiniappOverride, (ward_code, state))


def _latest(ward_code: str) -> MiniappVersion | None:
    """Return the ward's latest published version, if it has one."""
    return db.session.scalar(
        sa.select(MiniappVersion)
        .where(MiniappVersion.ward_code == ward_code)
        .order_by(MiniappVersion.version.desc())
        .limit(1)
    )


def _live(ward_code: str) -> MiniappVersion:
    """Return the ward's latest published version, which every synced ward has."""
    latest = _latest(ward_code)
    if latest is None:
        raise NoPublishedVersion()
    return latest


def _new_version(
    *, ward_code: str, number: int, document: dict, author: User | None, summary: str
) -> MiniappVersion:
    """Build a version row with its canonical bytes and strong ETag."""
    body = canonical_bytes(document)
    return MiniappVersion(
        ward_code=ward_code,
        version=number,
        document=document,
        body=body,
        etag=strong_etag(body),
        author_id=author.id if author else None,
        summary=summary[:500],
    )


def _check_ward_type(ward_type: str) -> None:
    """Refuse an unknown ward type."""
    if ward_type not in TEMPLATES:
        raise TemplateNotFound("Không có mẫu chung cho loại đơn vị này (chỉ có: phuong, xa).")


def current_template(ward_type: str) -> dict[str, Any]:
    """Return the template in force for a ward type (the saved one, else the built-in one)."""
    row = db.session.get(MiniappTemplate, ward_type)
    return copy.deepcopy(row.document) if row else template_for(ward_type)


# --- Version 1 -------------------------------------------------------------------------------


def ensure_initial_version(ward: Ward) -> MiniappVersion:
    """Return the ward's latest version, creating version 1 from the template if it has none.

    Safe when two requests race: the loser's INSERT hits UNIQUE(ward_code, version) inside a
    savepoint, and it reads the winner's row instead.
    """
    latest = _latest(ward.code)
    if latest is not None:
        return latest
    document = effective_config(template=current_template(ward.type), overrides={}, ward=ward)
    version = _new_version(
        ward_code=ward.code, number=1, document=document, author=None, summary=INITIAL_SUMMARY
    )
    try:
        with db.session.begin_nested():
            db.session.add(version)
            _audit(action="initial_publish", actor=None, ward_code=ward.code, version=1)
            db.session.flush()
    except sa.exc.IntegrityError:
        latest = _latest(ward.code)
        if latest is None:  # not the race we expected: let it surface
            raise
        return latest
    return version


def ensure_initial_versions() -> int:
    """Give version 1 to every ward that has none yet; return how many were created."""
    have = set(db.session.scalars(sa.select(MiniappVersion.ward_code).distinct()))
    created = 0
    for ward in db.session.scalars(sa.select(Ward).order_by(Ward.code)):
        if ward.code not in have:
            ensure_initial_version(ward)
            created += 1
    return created


def on_wards_synced(_app: Any, **_extra: Any) -> None:
    """Publish version 1 for the wards `wards sync` created (and any ward still without one)."""
    ensure_initial_versions()


# --- The public read -------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishedRef:
    """Which version of a ward's config is live, and its ETag."""

    ward_code: str
    version: int
    etag: str


_LIVE_SQL = (
    "SELECT version, etag FROM miniapp_version WHERE ward_code = {p} ORDER BY version DESC LIMIT 1"
)


def live_ref(ward_key: str) -> PublishedRef | None:
    """Return a ward's live version with one indexed query on a raw pooled connection.

    The hot path of the public read: it skips the ORM (whose per-query overhead is several
    times the query's own cost) but still asks the database, so that a publish made by any
    worker or instance is seen by the very next read. Returns None when the ward key is not
    yet known to this process; the caller then takes the ORM path, which learns it.
    """
    code = _ward_codes.get(ward_key)
    if code is None:
        return None
    row = fetch_one_raw(_LIVE_SQL, (code,))
    if row is None:
        return None
    return PublishedRef(code, row[0], row[1])


def published_ref(ward_key: str) -> PublishedRef:
    """Return the live version of a ward (by code or slug) with one indexed query."""
    key = ward_key.strip().lower()
    column = Ward.code if key.isdigit() else Ward.slug
    row = db.session.execute(
        sa.select(Ward.code, MiniappVersion.version, MiniappVersion.etag)
        .outerjoin(MiniappVersion, MiniappVersion.ward_code == Ward.code)
        .where(column == key)
        .order_by(MiniappVersion.version.desc())
        .limit(1)
    ).first()
    if row is None:
        raise NotFound("Không tìm thấy phường, xã này.", code="ward_not_found")
    if row.version is None:
        raise NoPublishedVersion()
    _ward_codes.put(ward_key, row.code)
    return PublishedRef(row.code, row.version, row.etag)


def published_body(ref: PublishedRef) -> bytes:
    """Return the precomputed bytes of a published version."""
    body = _bodies.get(ref.etag)
    if body is None:
        body = bytes(
            db.session.scalar(
                sa.select(MiniappVersion.body).where(
                    MiniappVersion.ward_code == ref.ward_code,
                    MiniappVersion.version == ref.version,
                )
            )
        )
        _bodies.put(ref.etag, body)
    return body


# --- Publishing ------------------------------------------------------------------------------


def _publish(
    *,
    ward: Ward,
    document: dict[str, Any],
    overrides: dict[str, Any] | None,
    author: User | None,
    summary: str,
    action: str,
    **details: Any,
) -> MiniappVersion:
    """Publish a document as the ward's next version; store its overrides when given."""
    latest = _live(ward.code)
    version = _new_version(
        ward_code=ward.code,
        number=latest.version + 1,
        document=document,
        author=author,
        summary=summary,
    )
    if version.body == bytes(latest.body):
        raise NoChanges("Cấu hình này giống hệt phiên bản đang được xuất bản; không có gì mới.")
    try:
        with db.session.begin_nested():
            db.session.add(version)
            if overrides is not None:
                row = _override_row(ward.code, PUBLISHED)
                if row is None:
                    row = MiniappOverride(ward_code=ward.code, state=PUBLISHED)
                    db.session.add(row)
                row.overrides = overrides
                row.updated_by_id = author.id if author else None
            db.session.flush()
    except (sa.exc.IntegrityError, StaleDataError) as exc:
        raise ConcurrentChange(
            "Cấu hình vừa được người khác xuất bản; vui lòng tải lại và thử lại."
        ) from exc
    _audit(
        action=action,
        actor=author,
        ward_code=ward.code,
        version=version.version,
        summary=version.summary,
        changed_paths=diff_paths(latest.document, document),
        **details,
    )
    return version


def _effective(ward: Ward, overrides: dict[str, Any], *, what: str) -> dict[str, Any]:
    """Return the ward's document for these overrides on today's template, or refuse it."""
    try:
        return effective_config(
            template=current_template(ward.type), overrides=overrides, ward=ward
        )
    except ConfigValidationError as error:
        raise InvalidConfig(error.errors, what=what) from error


def get_draft(*, ward: Ward) -> tuple[dict[str, Any], bool]:
    """Return the ward's draft document (or the published one) and whether a draft exists."""
    row = _override_row(ward.code, DRAFT)
    if row is None:
        return _live(ward.code).document, False
    return _effective(ward, row.overrides, what="Bản nháp"), True


def save_draft(*, ward: Ward, document: Any, user: User) -> dict[str, Any]:
    """Validate a whole document and keep it as the ward's draft (as overrides)."""
    if not isinstance(document, dict):
        raise InvalidConfig({"_schema": ["Cấu hình phải là một đối tượng JSON."]})
    # The ward block always comes from the ward record: a client may omit it.
    document = {**document, "ward": _ward_block(ward)}
    try:
        loaded = load_document(document)
    except ConfigValidationError as error:
        raise InvalidConfig(error.errors) from error
    template = current_template(ward.type)
    overrides = extract_overrides(template=template, document=loaded, ward=ward)
    effective = _effective(ward, overrides, what="Bản nháp")
    published = _live(ward.code)
    row = _override_row(ward.code, DRAFT)
    try:
        with db.session.begin_nested():
            if row is None:
                row = MiniappOverride(ward_code=ward.code, state=DRAFT)
                db.session.add(row)
            row.overrides = overrides
            row.updated_by_id = user.id
            row.updated_at = utcnow()
            db.session.flush()
    except sa.exc.IntegrityError as exc:
        raise ConcurrentChange("Bản nháp vừa được người khác lưu; vui lòng thử lại.") from exc
    _audit(
        action="draft_save",
        actor=user,
        ward_code=ward.code,
        changed_paths=diff_paths(published.document, effective),
    )
    db.session.flush()
    return effective


def discard_draft(*, ward: Ward, user: User) -> bool:
    """Delete the ward's draft; return whether there was one."""
    row = _override_row(ward.code, DRAFT)
    if row is None:
        return False
    db.session.delete(row)
    _audit(action="draft_discard", actor=user, ward_code=ward.code)
    db.session.flush()
    return True


def publish(*, ward: Ward, user: User, summary: str | None = None) -> MiniappVersion:
    """Publish the ward's draft as a new version and clear the draft."""
    row = _override_row(ward.code, DRAFT)
    if row is None:
        raise NoDraft("Chưa có bản nháp để xuất bản; hãy lưu bản nháp trước.")
    document = _effective(ward, row.overrides, what="Bản nháp")
    latest = _live(ward.code)
    version = _publish(
        ward=ward,
        document=document,
        overrides=row.overrides,
        author=user,
        summary=summary or summarize_changes(latest.document, document),
        action="publish",
    )
    db.session.delete(row)
    db.session.flush()
    return version


def restore(*, ward: Ward, number: int, user: User, summary: str | None = None) -> MiniappVersion:
    """Publish an old version's document again, as a new version (the draft is kept)."""
    old = _version_row(ward, number)
    try:
        document = load_document({**old.document, "ward": _ward_block(ward)})
    except ConfigValidationError as error:
        raise InvalidConfig(error.errors, what=f"Phiên bản {number}") from error
    overrides = extract_overrides(
        template=current_template(ward.type), document=document, ward=ward
    )
    latest = _live(ward.code)
    if not summary:
        changes = summarize_changes(latest.document, document)
        summary = f"Khôi phục phiên bản {number}: {changes[0].lower()}{changes[1:]}"
    return _publish(
        ward=ward,
        document=document,
        overrides=overrides,
        author=user,
        summary=summary,
        action="restore",
        restored_version=number,
    )


# --- Versions and the audit log --------------------------------------------------------------


def _version_row(ward: Ward, number: int) -> MiniappVersion:
    """Return one version of the ward, or raise VersionNotFound."""
    row = db.session.scalar(
        sa.select(MiniappVersion).where(
            MiniappVersion.ward_code == ward.code, MiniappVersion.version == number
        )
    )
    if row is None:
        raise VersionNotFound(f"Không có phiên bản {number} của cấu hình này.")
    return row


def _author_name(user_id: int | None) -> str | None:
    """Return a user's current name (None for the system or an erased account)."""
    if user_id is None:
        return None
    user = db.session.get(User, user_id)
    return user.name if user else None


def list_versions(*, ward: Ward, limit: int, before: int | None) -> list[dict[str, Any]]:
    """List the ward's published versions, newest first (limit + 1 rows, for paging)."""
    stmt = (
        sa.select(
            MiniappVersion.version,
            MiniappVersion.published_at,
            MiniappVersion.summary,
            MiniappVersion.etag,
            User.name.label("author"),
        )
        .outerjoin(User, User.id == MiniappVersion.author_id)
        .where(MiniappVersion.ward_code == ward.code)
        .order_by(MiniappVersion.version.desc())
    )
    if before is not None:
        stmt = stmt.where(MiniappVersion.version < before)
    return [dict(row) for row in db.session.execute(stmt.limit(limit + 1)).mappings()]


def get_version(*, ward: Ward, number: int) -> dict[str, Any]:
    """Return one published version with its document."""
    row = _version_row(ward, number)
    return {
        "version": row.version,
        "published_at": row.published_at,
        "summary": row.summary,
        "etag": row.etag,
        "author": _author_name(row.author_id),
        "document": row.document,
    }


def list_audit(*, ward: Ward, limit: int, before_id: int | None) -> list[dict[str, Any]]:
    """List the audit entries of a ward's config, newest first (limit + 1 rows)."""
    stmt = (
        sa.select(
            MiniappAuditEntry.id,
            MiniappAuditEntry.action,
            MiniappAuditEntry.at,
            MiniappAuditEntry.details,
            MiniappAuditEntry.ward_code.label("ward"),
            User.name.label("actor"),
        )
        .outerjoin(User, User.id == MiniappAuditEntry.actor_id)
        .where(MiniappAuditEntry.ward_code == ward.code)
        .order_by(MiniappAuditEntry.id.desc())
    )
    if before_id is not None:
        stmt = stmt.where(MiniappAuditEntry.id < before_id)
    return [dict(row) for row in db.session.execute(stmt.limit(limit + 1)).mappings()]


# --- City templates --------------------------------------------------------------------------


def get_template(*, ward_type: str) -> dict[str, Any]:
    """Return the template in force for a ward type, with its version (0 = built-in)."""
    _check_ward_type(ward_type)
    row = db.session.get(MiniappTemplate, ward_type)
    if row is None:
        return {
            "type": ward_type,
            "version": 0,
            "updated_at": None,
            "updated_by": None,
            "document": template_for(ward_type),
        }
    return {
        "type": ward_type,
        "version": row.version,
        "updated_at": row.updated_at,
        "updated_by": _author_name(row.updated_by_id),
        "document": copy.deepcopy(row.document),
    }


@dataclass
class TemplateImpact:
    """What a template change would do: the paths it changes and the wards it reaches."""

    ward_type: str
    changed_paths: list[str]
    reached: list[Ward] = field(default_factory=list)
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def ward_codes(self) -> list[str]:
        """Return the codes of the reached wards."""
        return [ward.code for ward in self.reached]


def _check_template_shape(document: Any) -> None:
    """Refuse a template that is not an object or that names a ward."""
    if not isinstance(document, dict):
        raise InvalidConfig(
            {"_schema": ["Mẫu chung phải là một đối tượng JSON."]}, what="Mẫu chung"
        )
    if "ward" in document:
        raise InvalidConfig(
            {"ward": ["Mẫu chung không chứa thông tin đơn vị; mục này được điền cho từng đơn vị."]},
            what="Mẫu chung",
        )


def template_impact(*, ward_type: str, document: Any) -> TemplateImpact:
    """Validate a new template against every ward of its type and return what it reaches.

    A ward is reached when its published config would change; a ward that sets a field itself
    keeps its value. Drafts are checked too, so that no draft becomes impossible to publish.
    """
    _check_ward_type(ward_type)
    _check_template_shape(document)
    old = current_template(ward_type)
    wards = list(
        db.session.scalars(sa.select(Ward).where(Ward.type == ward_type).order_by(Ward.code))
    )
    sample = wards[0] if wards else {"code": "00000", "name": "Mẫu", "type": ward_type}
    try:  # the template alone, on the first ward of its type: errors of the template itself
        effective_config(template=document, overrides={}, ward=sample)
    except ConfigValidationError as error:
        raise InvalidConfig(error.errors, what="Mẫu chung") from error
    overrides = {
        (row.ward_code, row.state): row.overrides
        for row in db.session.scalars(
            sa.select(MiniappOverride).join(Ward).where(Ward.type == ward_type)
        )
    }
    impact = TemplateImpact(ward_type=ward_type, changed_paths=diff_paths(old, document))
    broken: dict[str, dict[str, list[str]]] = {}
    for ward in wards:
        published = overrides.get((ward.code, PUBLISHED), {})
        try:
            new_document = effective_config(template=document, overrides=published, ward=ward)
            draft = overrides.get((ward.code, DRAFT))
            if draft is not None:
                effective_config(template=document, overrides=draft, ward=ward)
        except ConfigValidationError as error:
            broken[ward.code] = error.errors
            continue
        try:
            old_document = effective_config(template=old, overrides=published, ward=ward)
        except ConfigValidationError:
            old_document = None
        if old_document is None or canonical_bytes(old_document) != canonical_bytes(new_document):
            impact.reached.append(ward)
            impact.documents[ward.code] = new_document
    if broken:
        raise TemplateBreaksWards(broken)
    return impact


def update_template(
    *, ward_type: str, document: Any, user: User
) -> tuple[dict[str, Any], TemplateImpact, list[dict[str, Any]]]:
    """Save a template and publish a new version for every ward whose config it changes.

    Returns the template, its impact, and the versions published ([{ward, version}]).
    """
    impact = template_impact(ward_type=ward_type, document=document)
    if not impact.changed_paths:
        return get_template(ward_type=ward_type), impact, []
    row = db.session.get(MiniappTemplate, ward_type)
    try:
        with db.session.begin_nested():
            if row is None:
                row = MiniappTemplate(ward_type=ward_type)
                db.session.add(row)
            row.document = copy.deepcopy(document)
            row.updated_by_id = user.id
            db.session.flush()
    except (sa.exc.IntegrityError, StaleDataError) as exc:
        raise ConcurrentChange(
            "Mẫu chung vừa được người khác sửa; vui lòng tải lại và thử lại."
        ) from exc
    _audit(
        action="template_update",
        actor=user,
        ward_type=ward_type,
        template_version=row.version,
        changed_paths=impact.changed_paths,
        wards_reached=impact.ward_codes,
    )
    republished: list[dict[str, Any]] = []
    for ward in impact.reached:
        new_document = impact.documents[ward.code]
        latest = _live(ward.code)
        if canonical_bytes(new_document) == bytes(latest.body):
            continue
        changes = summarize_changes(latest.document, new_document)
        version = _publish(
            ward=ward,
            document=new_document,
            overrides=None,
            author=user,
            summary=f"{TEMPLATE_SUMMARY_PREFIX}: {changes[0].lower()}{changes[1:]}",
            action="template_publish",
            template_version=row.version,
        )
        republished.append({"ward": ward.code, "version": version.version})
    db.session.flush()
    return get_template(ward_type=ward_type), impact, republished


# --- Personal data ---------------------------------------------------------------------------


def export_personal_data(user: User) -> dict[str, Any]:
    """Return the config changes a staff member made (their official acts), if any."""
    versions = [
        {"ward": code, "version": number, "published_at": local_isoformat(at), "summary": summary}
        for code, number, at, summary in db.session.execute(
            sa.select(
                MiniappVersion.ward_code,
                MiniappVersion.version,
                MiniappVersion.published_at,
                MiniappVersion.summary,
            )
            .where(MiniappVersion.author_id == user.id)
            .order_by(MiniappVersion.id)
        )
    ]
    audit = [
        {"ward": code, "ward_type": ward_type, "action": action, "at": local_isoformat(at)}
        for code, ward_type, action, at in db.session.execute(
            sa.select(
                MiniappAuditEntry.ward_code,
                MiniappAuditEntry.ward_type,
                MiniappAuditEntry.action,
                MiniappAuditEntry.at,
            )
            .where(MiniappAuditEntry.actor_id == user.id)
            .order_by(MiniappAuditEntry.id)
        )
    ]
    if not versions and not audit:
        return {}
    return {"miniapp_config": {"published_versions": versions, "audit_entries": audit}}
