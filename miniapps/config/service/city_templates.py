"""City templates: read one, measure a change's reach, save it and republish the wards."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from app.audit import record
from app.errors import FieldError
from app.extensions import db
from app.identity.models import User
from miniapps.config.canonical import canonical_bytes
from miniapps.config.document import ConfigValidationError
from miniapps.config.exceptions import ConcurrentChange, InvalidConfig, TemplateBreaksWards
from miniapps.config.models import MiniappOverride, MiniappTemplate
from miniapps.config.service.publishing import publish_document
from miniapps.config.service.records import (
    DRAFT,
    PUBLISHED,
    Unit,
    audit,
    author_name,
    check_ward_type,
    current_template,
    live_version,
    unit_codes,
    units_of_type,
)
from miniapps.config.templates import (
    diff_paths,
    effective_config,
    summarize_changes,
    template_for,
)

TEMPLATE_SUMMARY_PREFIX = "Cập nhật mẫu chung"


def get_template(*, ward_type: str) -> dict[str, Any]:
    """Return the template in force for a ward type, with its version (0 = built-in)."""
    check_ward_type(ward_type)
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
        "updated_by": author_name(row.updated_by_id),
        "document": copy.deepcopy(row.document),
    }


@dataclass
class TemplateImpact:
    """What a template change would do: the paths it changes and the units it reaches."""

    ward_type: str
    changed_paths: list[str]
    reached: list[Unit] = field(default_factory=list)
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
        message = "Mẫu chung không chứa thông tin đơn vị; mục này được điền cho từng đơn vị."
        raise InvalidConfig(
            {"ward": [message]},
            what="Mẫu chung",
            field_errors=[FieldError("ward", "Đơn vị", message)],
        )


def template_impact(*, ward_type: str, document: Any) -> TemplateImpact:
    """Validate a new template against every ward of its type and return what it reaches.

    A ward is reached when its published config would change; a ward that sets a field itself
    keeps its value. Drafts are checked too, so that no draft becomes impossible to publish.
    """
    check_ward_type(ward_type)
    _check_template_shape(document)
    old = current_template(ward_type)
    wards = units_of_type(ward_type)
    sample_code = "MAU" if ward_type == "so" else "00000"
    sample = wards[0] if wards else {"code": sample_code, "name": "Mẫu", "type": ward_type}
    try:  # the template alone, on the first ward of its type: errors of the template itself
        effective_config(template=document, overrides={}, ward=sample)
    except ConfigValidationError as error:
        raise InvalidConfig.of(error, what="Mẫu chung") from error
    overrides = {
        (row.ward_code, row.state): row.overrides
        for row in db.session.scalars(
            sa.select(MiniappOverride).where(MiniappOverride.ward_code.in_(unit_codes(ward_type)))
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
    audit(
        action="template_update",
        actor=user,
        ward_type=ward_type,
        template_version=row.version,
        changed_paths=impact.changed_paths,
        wards_reached=impact.ward_codes,
    )
    record("config.template_updated", "miniapp_template", ward_type, f"Mẫu chung: {ward_type}")
    republished: list[dict[str, Any]] = []
    for ward in impact.reached:
        new_document = impact.documents[ward.code]
        latest = live_version(ward.code)
        if canonical_bytes(new_document) == bytes(latest.body):
            continue
        changes = summarize_changes(latest.document, new_document)
        version = publish_document(
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
