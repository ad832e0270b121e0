"""The registry of residential groups each ward keeps: the one writer of `residential_group`.

The registry is the denominator of "every tổ dân phố and thôn has a digital community"
(docs/decisions/0019-indicators-over-time.md). Ward staff keep it by hand or by importing a
CSV file; a group's name is unique in its ward compared without case or diacritics
(`name_key`, app.text.fold), so "Tổ dân phố số 5" and "to dan pho so 5" are one group.
"""

import csv
import io
import unicodedata
from dataclasses import dataclass

import sqlalchemy as sa
from marshmallow import ValidationError

from app.audit import record
from app.errors import FieldError, ValidationFailed, field_error_details
from app.extensions import db
from app.text import fold
from app.validation import translate_errors
from community.common import valid_id
from community.groups.exceptions import (
    FileTooLarge,
    ResidentialGroupExists,
    ResidentialGroupNotFound,
)
from community.groups.models import KIND_LABELS, Community, ResidentialGroup
from community.groups.registry_schemas import (
    KIND_LABEL,
    NAME_LABEL,
    ResidentialGroupRowSchema,
)
from community.groups.service import active_community

MAX_IMPORT_BYTES = 1024 * 1024
MAX_IMPORT_ROWS = 2000
FILE_FIELD = "file"
FILE_LABEL = "Tệp CSV"
COMMUNITY_FIELD = "residential_group_id"
COMMUNITY_FIELD_LABEL = "Tổ dân phố, thôn"
# How many bad lines the top-level message names; `details.errors` names every one.
_LINES_IN_MESSAGE = 5
# The columns of the file, by what their header may say once folded: the contract's English
# names, or the Vietnamese ones people type in Excel.
_HEADER_WORDS = {
    "name": "name",
    "ten": "name",
    "kind": "kind",
    "loai": "kind",
    "households": "households",
    "so ho": "households",
}
_HEADER = "name,kind,households"
NOT_UTF8 = (
    "Tệp không ở dạng UTF-8 (có thể lưu từ Excel cũ, bảng mã Windows-1258). Trong Excel, chọn "
    "Lưu thành (Save As) → kiểu tệp «CSV UTF-8 (phân cách bằng dấu phẩy)» rồi gửi lại."
)


@dataclass(frozen=True)
class GroupView:
    """A group of the registry with its community (None if it has none) and whether it runs."""

    group: ResidentialGroup
    community: Community | None
    active: bool


@dataclass(frozen=True)
class ImportResult:
    """What an import did: groups created, groups already there (updated), all in file order."""

    created: int
    updated: int
    groups: list[ResidentialGroup]


def clean_name(name: str) -> str:
    """Return a name as stored: composed Unicode (NFC), single spaces."""
    return " ".join(unicodedata.normalize("NFC", name).split())


def name_key(name: str) -> str:
    """Return the key two names share when they differ only by case or diacritics."""
    return fold(name)[:120]


def _views(stmt) -> list[GroupView]:
    """Run a select of groups with their community and its activity, in one statement."""
    rows = db.session.execute(
        stmt.add_columns(Community, active_community(Community.id).label("active")).outerjoin(
            Community, Community.residential_group_id == ResidentialGroup.id
        )
    )
    return [GroupView(group, community, bool(active)) for group, community, active in rows]


def list_for_ward(*, ward_code: str, limit: int, after_id: int | None) -> list[GroupView]:
    """List a ward's groups by id (limit + 1 rows, for paging), each with its community."""
    stmt = (
        sa.select(ResidentialGroup)
        .where(ResidentialGroup.ward_code == ward_code)
        .order_by(ResidentialGroup.id)
    )
    if after_id:
        stmt = stmt.where(ResidentialGroup.id > after_id)
    return _views(stmt.limit(limit + 1))


def views_of(groups: list[ResidentialGroup]) -> list[GroupView]:
    """Return these groups with their communities, in the order given."""
    if not groups:
        return []
    ids = [group.id for group in groups]
    found = {
        view.group.id: view
        for view in _views(sa.select(ResidentialGroup).where(ResidentialGroup.id.in_(ids)))
    }
    return [found[group_id] for group_id in ids]


def get(group_id: int) -> ResidentialGroup:
    """Return a group of the registry or raise NotFound."""
    group = db.session.get(ResidentialGroup, group_id) if valid_id(group_id) else None
    if group is None:
        raise ResidentialGroupNotFound("Không tìm thấy tổ dân phố, thôn này.")
    return group


def _refuse_duplicate(*, ward_code: str, key: str, except_id: int | None = None) -> None:
    """Refuse a name another group of the ward already has (without case or diacritics)."""
    stmt = sa.select(ResidentialGroup.name).where(
        ResidentialGroup.ward_code == ward_code, ResidentialGroup.name_key == key
    )
    if except_id is not None:
        stmt = stmt.where(ResidentialGroup.id != except_id)
    found = db.session.scalar(stmt)
    if found is not None:
        raise _duplicate(found)


def _duplicate(existing: str | None) -> ResidentialGroupExists:
    said = f" («{existing}»)" if existing else ""
    return ResidentialGroupExists.on_field(
        "name",
        NAME_LABEL,
        f"Danh sách của phường, xã đã có tổ dân phố, thôn mang tên này{said}; tên được so "
        "không phân biệt chữ hoa, chữ thường và dấu.",
    )


def _flush_unique() -> None:
    """Flush in a savepoint; what another request has just taken is the same conflict as a
    checked one (the keys decide): a community linked to another group, or the group's name.
    The request's transaction is rolled back by the request (the 409)."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except sa.exc.IntegrityError as exc:
        if "residential_group_id" in str(exc.orig):
            raise ResidentialGroupExists(
                "Cộng đồng này vừa được gắn với một tổ dân phố, thôn khác; hãy tải lại danh sách.",
                code="community_already_linked",
            ) from exc
        raise _duplicate(None) from exc


def create(*, ward_code: str, name: str, kind: str, households: int) -> ResidentialGroup:
    """Add a group to the ward's registry; a name it already has is a conflict."""
    name = clean_name(name)
    key = name_key(name)
    _refuse_duplicate(ward_code=ward_code, key=key)
    group = ResidentialGroup(
        ward_code=ward_code, name=name, name_key=key, kind=kind, households=households
    )
    db.session.add(group)
    _flush_unique()
    _audit("residential_group.created", group)
    return group


def _audit(action: str, group: ResidentialGroup) -> None:
    """Write an act on the ward's registry to its audit log."""
    record(action, "residential_group", group.id, group.name, ward_code=group.ward_code)


def community_of(group: ResidentialGroup) -> Community | None:
    """Return the community linked to the group, if any."""
    return db.session.scalar(sa.select(Community).where(Community.residential_group_id == group.id))


def _kind_mismatch(*, field: str, label: str, group_kind: str, community_kind: str):
    return ValidationFailed.on_field(
        field,
        label,
        f"Tổ, thôn này là {KIND_LABELS[group_kind].lower()} nhưng cộng đồng là "
        f"{KIND_LABELS[community_kind].lower()}: loại phải trùng nhau.",
    )


def update(group: ResidentialGroup, changes: dict) -> ResidentialGroup:
    """Change a group's name, kind or households, or link (or unlink) its community.

    `changes` holds only what the request sends; `community_id` None unlinks.
    """
    linked = community_of(group)
    if "name" in changes:
        name = clean_name(changes["name"])
        key = name_key(name)
        _refuse_duplicate(ward_code=group.ward_code, key=key, except_id=group.id)
        group.name, group.name_key = name, key
    if "kind" in changes:
        group.kind = changes["kind"]
    if "community_id" in changes:
        wanted = changes["community_id"]
        chosen = _linkable_community(group, wanted) if wanted is not None else None
        if linked is not None and linked is not chosen:
            linked.residential_group_id = None
            db.session.flush()  # free the group before another community takes it
        if chosen is not None:
            chosen.residential_group_id = group.id
        linked = chosen
    if linked is not None and linked.kind != group.kind:
        raise _kind_mismatch(
            field="kind" if "kind" in changes else "community_id",
            label=KIND_LABEL if "kind" in changes else "Cộng đồng số",
            group_kind=group.kind,
            community_kind=linked.kind,
        )
    if "households" in changes:
        group.households = changes["households"]
    _flush_unique()
    _audit("residential_group.updated", group)
    return group


def _linkable_community(group: ResidentialGroup, community_id: int) -> Community:
    """Return the community to link to the group: of its ward, free, of its kind."""
    community = db.session.get(Community, community_id) if valid_id(community_id) else None
    if community is None or community.ward_code != group.ward_code:
        raise ValidationFailed.on_field(
            "community_id", "Cộng đồng số", "Phường, xã không có cộng đồng này."
        )
    if community.residential_group_id not in (None, group.id):
        raise ValidationFailed.on_field(
            "community_id", "Cộng đồng số", "Cộng đồng này đã gắn với một tổ dân phố, thôn khác."
        )
    return community


def delete(group: ResidentialGroup) -> None:
    """Remove a group from the registry; its community stays, no longer linked."""
    db.session.execute(
        sa.update(Community)
        .where(Community.residential_group_id == group.id)
        .values(residential_group_id=None)
        .execution_options(synchronize_session="fetch")
    )
    _audit("residential_group.deleted", group)
    db.session.delete(group)
    db.session.flush()


def group_to_link(*, ward_code: str, group_id: int, kind: str) -> ResidentialGroup:
    """Return the group a new community names: of its ward, without community, of its kind.

    Refusals are about the request's `residential_group_id` (422); the unique link in the
    database refuses a second community that races for the same group.
    """
    group = db.session.get(ResidentialGroup, group_id) if valid_id(group_id) else None
    if group is None or group.ward_code != ward_code:
        raise ValidationFailed.on_field(
            COMMUNITY_FIELD,
            COMMUNITY_FIELD_LABEL,
            "Không có tổ dân phố, thôn này trong danh sách của phường, xã.",
        )
    if community_of(group) is not None:
        raise ValidationFailed.on_field(
            COMMUNITY_FIELD, COMMUNITY_FIELD_LABEL, "Tổ dân phố, thôn này đã có cộng đồng số."
        )
    if group.kind != kind:
        raise _kind_mismatch(
            field=COMMUNITY_FIELD,
            label=COMMUNITY_FIELD_LABEL,
            group_kind=group.kind,
            community_kind=kind,
        )
    return group


# --- CSV import ----------------------------------------------------------------------------


def _file_error(message: str, *, status=ValidationFailed) -> ValidationFailed:
    return status.on_field(FILE_FIELD, FILE_LABEL, message, location="files")


def _line_errors(errors: list[FieldError]) -> ValidationFailed:
    """Return the refusal of a file naming every bad line (the message names the first few)."""
    shown = "; ".join(error.sentence().rstrip(" .") for error in errors[:_LINES_IN_MESSAGE])
    more = (
        f"; và {len(errors) - _LINES_IN_MESSAGE} dòng khác"
        if len(errors) > _LINES_IN_MESSAGE
        else ""
    )
    return ValidationFailed(
        f"Tệp có {len(errors)} dòng không hợp lệ, chưa ghi dòng nào: {shown}{more}.",
        details=field_error_details(errors, location="files"),
    )


def _line(number: int, message: str) -> FieldError:
    return FieldError(FILE_FIELD, f"Dòng {number}", message)


def _columns(header: list[str]) -> list[str]:
    """Return the column of each header cell, or refuse a header that is not the template's."""
    while header and not header[-1].strip():
        header = header[:-1]  # Excel may end the header with an empty cell
    columns = [_HEADER_WORDS.get(fold(cell).strip(), "") for cell in header]
    if sorted(columns) != sorted(set(_HEADER_WORDS.values())):
        said = ",".join(cell.strip() for cell in header)
        raise _line_errors(
            [
                _line(
                    1,
                    f"Tiêu đề phải là «{_HEADER}» (hoặc «Tên,Loại,Số hộ»), "
                    f"tệp đang có «{said[:120]}».",
                )
            ]
        )
    return columns


def _rows(text: str) -> list[tuple[int, dict]]:
    """Read the file's lines as {column: cell} by line number (from 1, the header's), or refuse.

    Excel in a Vietnamese locale may separate cells with ";": the header says which.
    """
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise _file_error("Tệp trống: dòng đầu phải là tiêu đề «name,kind,households».")
        columns = _columns(header)
        rows: list[tuple[int, dict]] = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue  # a blank line, or the ",," rows a spreadsheet leaves at the end
            if len(rows) == MAX_IMPORT_ROWS:
                most = f"{MAX_IMPORT_ROWS:,}".replace(",", ".")  # 2.000, as Vietnamese writes it
                raise _file_error(
                    f"Tệp có quá nhiều dòng: mỗi lần gửi tối đa {most} tổ dân phố, thôn."
                )
            extra = [cell for cell in cells[len(columns) :] if cell.strip()]
            row = dict(zip(columns, cells, strict=False))
            if extra:
                row["_extra"] = extra
            rows.append((reader.line_num, row))
    except csv.Error as exc:
        raise _file_error(
            f"Không đọc được tệp như một tệp CSV (dòng {reader.line_num + 1})."
        ) from exc
    if not rows:
        raise _file_error("Tệp chỉ có dòng tiêu đề, chưa có tổ dân phố, thôn nào.")
    return rows


def _checked(rows: list[tuple[int, dict]]) -> tuple[list[tuple[str, str, dict]], list[FieldError]]:
    """Check every line with the row schema and against the file's other lines."""
    schema = ResidentialGroupRowSchema()
    seen: dict[str, int] = {}
    good: list[tuple[str, str, dict]] = []
    errors: list[FieldError] = []
    for number, row in rows:
        if "_extra" in row:
            errors.append(_line(number, "Dòng có nhiều cột hơn dòng tiêu đề."))
            continue
        households_known = bool((row.get("households") or "").strip())
        if not households_known:
            row.pop("households", None)  # an empty cell: not known (0 for a new group)
        try:
            data = schema.load(row)
            if not households_known:
                data["households"] = None  # keeps an existing group's count
        except ValidationError as exc:
            _, found = translate_errors(exc.messages, schema)
            errors.append(_line(number, "; ".join(e.sentence().rstrip(" .") for e in found) + "."))
            continue
        name = clean_name(data["name"])
        key = name_key(name)
        if key in seen:
            errors.append(_line(number, f"Trùng tên với dòng {seen[key]} («{name}»)."))
            continue
        seen[key] = number
        good.append((name, key, data | {"line": number}))
    return good, errors


def import_csv(*, ward_code: str, raw: bytes) -> ImportResult:
    """Import a ward's registry from a CSV file: all lines or none.

    The whole file is checked first and every bad line named; a name already in the registry
    (without case or diacritics) updates that group's name, kind and households.
    """
    if len(raw) > MAX_IMPORT_BYTES:
        raise _file_error("Tệp quá lớn: tối đa 1 MB.", status=FileTooLarge)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _file_error(NOT_UTF8) from exc
    good, errors = _checked(_rows(text))
    existing = {
        group.name_key: group
        for group in db.session.scalars(
            sa.select(ResidentialGroup).where(ResidentialGroup.ward_code == ward_code)
        )
    }
    linked_kinds = dict(
        db.session.execute(
            sa.select(ResidentialGroup.name_key, Community.kind)
            .join(Community, Community.residential_group_id == ResidentialGroup.id)
            .where(ResidentialGroup.ward_code == ward_code)
        ).all()
    )
    for _, key, data in good:
        kind = linked_kinds.get(key)
        if kind is not None and kind != data["kind"]:
            errors.append(
                _line(
                    data["line"],
                    f"Tổ, thôn này đã gắn với một cộng đồng loại {KIND_LABELS[kind].lower()}: "
                    "bỏ liên kết trước khi đổi loại.",
                )
            )
    if errors:
        raise _line_errors(sorted(errors, key=lambda e: int(e.label.removeprefix("Dòng "))))
    created = updated = 0
    groups = []
    for name, key, data in good:
        group = existing.get(key)
        if group is None:
            group = ResidentialGroup(ward_code=ward_code, name_key=key, households=0)
            db.session.add(group)
            created += 1
        else:
            updated += 1
        group.name, group.kind = name, data["kind"]
        if data["households"] is not None:
            group.households = data["households"]
        groups.append(group)
    _flush_unique()
    record(
        "residential_group.imported",
        "ward",
        ward_code,
        f"{created} tổ, thôn mới, {updated} cập nhật",
        ward_code=ward_code,
    )
    return ImportResult(created=created, updated=updated, groups=groups)
