"""Schemas of the registry of residential groups (tổ dân phố, thôn) a ward keeps."""

from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from app.fields import Text, label_field, no_control_chars
from app.text import fold
from app.validation import choice_of
from community.common import MAX_ID
from community.groups.models import RESIDENTIAL_KIND_LABELS, RESIDENTIAL_KINDS

NAME_LABEL = "Tên tổ dân phố, thôn"
KIND_LABEL = "Loại"
HOUSEHOLDS_LABEL = "Số hộ"
MAX_HOUSEHOLDS = 100_000
_NAME_RULES = [validate.Length(min=2, max=120), no_control_chars]
_HOUSEHOLDS_RULE = validate.Range(min=0, max=MAX_HOUSEHOLDS)

# What a spreadsheet may say for a kind, folded with "_" as a space: the code ("to_dan_pho"),
# or its label with or without diacritics ("Tổ dân phố", "to dan pho", "THÔN").
_KIND_WORDS = {fold(label): kind for kind, label in RESIDENTIAL_KIND_LABELS.items()}


class KindText(Text):
    """A kind of residential group, as its code or as people write it in a spreadsheet."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        return _KIND_WORDS.get(fold(text).replace("_", " "), text)


class ResidentialGroupCreateSchema(Schema):
    """A tổ dân phố or thôn of the ward's registry."""

    name = Text(
        required=True,
        validate=_NAME_RULES,
        metadata={"label": NAME_LABEL, "example": "Tổ dân phố số 5"},
    )
    kind = Text(
        required=True,
        validate=choice_of(RESIDENTIAL_KIND_LABELS),
        metadata={"label": KIND_LABEL},
    )
    households = fields.Integer(
        load_default=0,
        strict=True,
        validate=_HOUSEHOLDS_RULE,
        metadata={"label": HOUSEHOLDS_LABEL, "example": 120},
    )


class ResidentialGroupUpdateSchema(Schema):
    """Changes to a group: any of its fields, and the community that is its digital community.

    `community_id` links a community of the same ward and kind (null unlinks it).
    """

    name = Text(validate=_NAME_RULES, metadata={"label": NAME_LABEL})
    kind = Text(validate=choice_of(RESIDENTIAL_KIND_LABELS), metadata={"label": KIND_LABEL})
    households = fields.Integer(
        strict=True, validate=_HOUSEHOLDS_RULE, metadata={"label": HOUSEHOLDS_LABEL}
    )
    community_id = fields.Integer(
        allow_none=True,
        strict=True,
        validate=validate.Range(min=1, max=MAX_ID),
        metadata={"label": "Cộng đồng số"},
    )


class ResidentialGroupRowSchema(Schema):
    """One line of an imported CSV file: the same rules, as a spreadsheet writes the values.

    `kind` may be the label ("Tổ dân phố", "Thôn", with or without diacritics); an empty
    `households` cell is 0.
    """

    name = Text(required=True, validate=_NAME_RULES, metadata={"label": NAME_LABEL})
    kind = KindText(
        required=True, validate=choice_of(RESIDENTIAL_KIND_LABELS), metadata={"label": KIND_LABEL}
    )
    households = fields.Integer(
        load_default=0, validate=_HOUSEHOLDS_RULE, metadata={"label": HOUSEHOLDS_LABEL}
    )


class ResidentialGroupImportSchema(Schema):
    """A CSV file (UTF-8, as Excel's "CSV UTF-8" saves it) sent as multipart/form-data `file`.

    Header `name,kind,households` (or `Tên,Loại,Số hộ`), one group a line, at most 2,000
    lines and 1 MB.
    """

    file = Upload(required=True, metadata={"label": "Tệp CSV"})


class GroupCommunitySchema(Schema):
    """The digital community of a group, and whether it is active."""

    id = fields.Integer()
    name = fields.String()
    active = fields.Boolean(metadata={"description": "A leader and at least three active members."})


class ResidentialGroupSchema(Schema):
    """A group of the registry, with its community (null when it has none yet)."""

    id = fields.Integer()
    ward = fields.String(metadata={"example": "00070"})
    name = fields.String()
    kind = fields.String(metadata={"enum": list(RESIDENTIAL_KINDS)})
    kind_label = label_field(RESIDENTIAL_KIND_LABELS, of="kind")
    households = fields.Integer()
    community = fields.Nested(GroupCommunitySchema, allow_none=True)


class ResidentialGroupListSchema(Schema):
    """A page of the registry."""

    items = fields.List(fields.Nested(ResidentialGroupSchema))
    next_cursor = fields.String(allow_none=True)


class ResidentialGroupImportResultSchema(Schema):
    """What an import did: groups created, groups updated (same name), and all of them."""

    created = fields.Integer()
    updated = fields.Integer()
    items = fields.List(fields.Nested(ResidentialGroupSchema))
