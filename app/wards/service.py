"""Ward lookup, search and the import from vietnam-provinces."""

import re

import sqlalchemy as sa
from blinker import Namespace
from flask import current_app
from vietnam_provinces import ProvinceCode, VietNamDivisionType
from vietnam_provinces import Ward as SourceWard

from app.database import fetch_one_raw
from app.extensions import db
from app.text import escape_like, fold, slugify
from app.wards.exceptions import WardNotFound
from app.wards.models import Ward
from app.wards.schemas import ALL_WARDS

HANOI = ProvinceCode.P_01
_TYPE_PREFIX = re.compile(r"^(Phường|Xã)\s+")
_TYPES = {VietNamDivisionType.PHUONG: "phuong", VietNamDivisionType.XA: "xa"}

# Sent by sync() (the app as sender) inside its transaction, once the wards are flushed. A
# module that keeps something for every ward creates what is missing here, so that it exists
# from the ward's first moment and no read ever has to create it.
wards_synced = Namespace().signal("wards-synced")


def source_wards() -> list[dict]:
    """Return Hà Nội's units from vietnam-provinces as plain rows."""
    rows = []
    for ward in SourceWard.iter_by_province(HANOI):
        # The package gives codes as integers (70); the official code has 5 digits (00070).
        code = f"{int(ward.code):05d}"
        short = _TYPE_PREFIX.sub("", ward.name)
        rows.append(
            {
                "code": code,
                "name": ward.name,
                "type": _TYPES[ward.division_type],
                "slug": slugify(short),
                "search_text": fold(ward.name),
            }
        )
    slugs = [r["slug"] for r in rows]
    # Two units sharing a short name would collide; prefix the type to keep slugs unique.
    for row in rows:
        if slugs.count(row["slug"]) > 1:
            row["slug"] = f"{row['type']}-{row['slug']}"
    return rows


def sync() -> dict:
    """Insert or update the wards from the package; return counts. Idempotent."""
    existing = {w.code: w for w in db.session.scalars(sa.select(Ward))}
    created = updated = 0
    for row in source_wards():
        ward = existing.get(row["code"])
        if ward is None:
            db.session.add(Ward(**row))
            created += 1
            continue
        changed = False
        for key, value in row.items():
            if getattr(ward, key) != value:
                setattr(ward, key, value)
                changed = True
        updated += changed
    db.session.flush()
    wards_synced.send(current_app._get_current_object())
    return {"created": created, "updated": updated, "total": len(existing) + created}


def search(*, q: str | None, limit: int, after_code: str | None) -> list[Ward]:
    """List wards by code, filtered by a query that ignores diacritics."""
    stmt = sa.select(Ward).order_by(Ward.code)
    if q and q.strip():
        for word in fold(q).split():
            stmt = stmt.where(Ward.search_text.like(f"%{escape_like(word)}%", escape="\\"))
    if after_code:
        stmt = stmt.where(Ward.code > after_code)
    return list(db.session.scalars(stmt.limit(limit + 1)))


_PUBLIC_SQL = "SELECT code, name, type, slug FROM ward WHERE {column} = {{p}}"


def get_public(ward: str) -> dict:
    """Return a ward's public fields by code or slug with one raw query (the hot public read)."""
    key = ward.strip().lower()
    column = "code" if key.isdigit() else "slug"
    row = fetch_one_raw(_PUBLIC_SQL.format(column=column), (key,))
    if row is None:
        raise WardNotFound()
    return dict(zip(("code", "name", "type", "slug"), row, strict=True))


def resolve_many(names: str | list[str]) -> tuple[list[Ward], list[str]]:
    """Find the wards named by codes or slugs, or every ward for "all".

    Return the wards found (by code, each once) and the names that match none (as given, each
    once), so that the caller can refuse them all together in its own field's words.
    """
    if names == ALL_WARDS:
        return list(db.session.scalars(sa.select(Ward).order_by(Ward.code))), []
    keys = [name.strip().lower() for name in names]
    found = db.session.scalars(
        sa.select(Ward).where(sa.or_(Ward.code.in_(keys), Ward.slug.in_(keys)))
    ).all()
    by_key = {w.code: w for w in found} | {w.slug: w for w in found}
    unknown = list(
        dict.fromkeys(name for name, key in zip(names, keys, strict=True) if key not in by_key)
    )
    wards = {by_key[key].code: by_key[key] for key in keys if key in by_key}
    return [wards[code] for code in sorted(wards)], unknown


def get(ward: str) -> Ward:
    """Find a ward by its 5-digit code or its slug, or raise WardNotFound."""
    key = ward.strip().lower()
    column = Ward.code if key.isdigit() else Ward.slug
    found = db.session.scalar(sa.select(Ward).where(column == key))
    if found is None:
        raise WardNotFound()
    return found
