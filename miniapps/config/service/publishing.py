"""Drafts and publishing: save, discard, publish, restore an old version."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from app.audit import SYSTEM_ACTOR, record
from app.database import utcnow
from app.departments.models import Department
from app.events import emit
from app.extensions import db
from app.identity.models import User
from miniapps.config.document import ConfigValidationError, load_document
from miniapps.config.exceptions import ConcurrentChange, InvalidConfig, NoChanges, NoDraft
from miniapps.config.models import MiniappOverride, MiniappVersion
from miniapps.config.service.records import (
    DRAFT,
    PUBLISHED,
    Unit,
    audit,
    current_template,
    live_version,
    new_version,
    override_row,
    version_row,
    ward_block,
)
from miniapps.config.templates import (
    diff_paths,
    effective_config,
    extract_overrides,
    summarize_changes,
)


def publish_document(
    *,
    ward: Unit,
    document: dict[str, Any],
    overrides: dict[str, Any] | None,
    author: User | None,
    summary: str,
    action: str,
    **details: Any,
) -> MiniappVersion:
    """Publish a document as the unit's next version; store its overrides when given.

    The one path of every publication (publish, restore, a template change): it also reports
    `miniapp.published` to outside systems, in the same transaction.
    """
    latest = live_version(ward.code)
    version = new_version(
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
                row = override_row(ward.code, PUBLISHED)
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
    audit(
        action=action,
        actor=author,
        ward_code=ward.code,
        version=version.version,
        summary=version.summary,
        changed_paths=diff_paths(latest.document, document),
        **details,
    )
    in_department = isinstance(ward, Department)
    record(
        _AUDIT_LOG_ACTIONS.get(action, f"config.{action}"),
        "miniapp_version",
        version.version,
        f"Phiên bản {version.version}",
        ward_code=None if in_department else ward.code,
        department_code=ward.code if in_department else None,
        actor=author or SYSTEM_ACTOR,
    )
    _emit_published(ward, version)
    return version


# The config's own audit actions, as the audit log names them.
_AUDIT_LOG_ACTIONS = {
    "publish": "config.published",
    "restore": "config.rolled_back",
    "template_publish": "config.template_applied",
}


def _emit_published(unit: Unit, version: MiniappVersion) -> None:
    """Record the `miniapp.published` event in the unit's feed (a ward's or a department's)."""
    facts = {"version": version.version, "etag": version.etag}
    if isinstance(unit, Department):
        emit("miniapp.published", {"department": unit.code, **facts}, department_code=unit.code)
    else:
        emit("miniapp.published", {"ward": unit.code, **facts}, ward_code=unit.code)


def _effective(ward: Unit, overrides: dict[str, Any], *, what: str) -> dict[str, Any]:
    """Return the ward's document for these overrides on today's template, or refuse it."""
    try:
        return effective_config(
            template=current_template(ward.type), overrides=overrides, ward=ward
        )
    except ConfigValidationError as error:
        raise InvalidConfig.of(error, what=what) from error


def get_draft(*, ward: Unit) -> tuple[dict[str, Any], bool]:
    """Return the ward's draft document (or the published one) and whether a draft exists."""
    row = override_row(ward.code, DRAFT)
    if row is None:
        return live_version(ward.code).document, False
    return _effective(ward, row.overrides, what="Bản nháp"), True


def save_draft(*, ward: Unit, document: Any, user: User) -> dict[str, Any]:
    """Validate a whole document and keep it as the ward's draft (as overrides)."""
    if not isinstance(document, dict):
        raise InvalidConfig({"_schema": ["Cấu hình phải là một đối tượng JSON."]})
    # The ward block always comes from the ward record: a client may omit it.
    document = {**document, "ward": ward_block(ward)}
    try:
        loaded = load_document(document)
    except ConfigValidationError as error:
        raise InvalidConfig.of(error) from error
    template = current_template(ward.type)
    overrides = extract_overrides(template=template, document=loaded, ward=ward)
    effective = _effective(ward, overrides, what="Bản nháp")
    published = live_version(ward.code)
    row = override_row(ward.code, DRAFT)
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
    audit(
        action="draft_save",
        actor=user,
        ward_code=ward.code,
        changed_paths=diff_paths(published.document, effective),
    )
    db.session.flush()
    return effective


def discard_draft(*, ward: Unit, user: User) -> bool:
    """Delete the ward's draft; return whether there was one."""
    row = override_row(ward.code, DRAFT)
    if row is None:
        return False
    db.session.delete(row)
    audit(action="draft_discard", actor=user, ward_code=ward.code)
    db.session.flush()
    return True


def publish(*, ward: Unit, user: User, summary: str | None = None) -> MiniappVersion:
    """Publish the ward's draft as a new version and clear the draft."""
    row = override_row(ward.code, DRAFT)
    if row is None:
        raise NoDraft("Chưa có bản nháp để xuất bản; hãy lưu bản nháp trước.")
    document = _effective(ward, row.overrides, what="Bản nháp")
    latest = live_version(ward.code)
    version = publish_document(
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


def restore(*, ward: Unit, number: int, user: User, summary: str | None = None) -> MiniappVersion:
    """Publish an old version's document again, as a new version (the draft is kept)."""
    old = version_row(ward, number)
    try:
        document = load_document({**old.document, "ward": ward_block(ward)})
    except ConfigValidationError as error:
        raise InvalidConfig.of(error, what=f"Phiên bản {number}") from error
    overrides = extract_overrides(
        template=current_template(ward.type), document=document, ward=ward
    )
    latest = live_version(ward.code)
    if not summary:
        changes = summarize_changes(latest.document, document)
        summary = f"Khôi phục phiên bản {number}: {changes[0].lower()}{changes[1:]}"
    return publish_document(
        ward=ward,
        document=document,
        overrides=overrides,
        author=user,
        summary=summary,
        action="restore",
        restored_version=number,
    )
