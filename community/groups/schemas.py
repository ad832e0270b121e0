"""Community schemas."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.fields import LocalDateTime, Text, label_field
from app.pagination import PageArgsSchema
from app.validation import choice_of
from community.common import MAX_ID, no_control_chars
from community.groups.models import KIND_LABELS, KINDS, LEADER_LABELS

_ID = validate.Range(min=1, max=MAX_ID)


class CommunityCreateSchema(Schema):
    """A new community of the ward."""

    name = Text(
        required=True,
        validate=[validate.Length(min=2, max=120), no_control_chars],
        metadata={"label": "Tên cộng đồng", "example": "Tổ dân phố số 5"},
    )
    kind = Text(
        required=True, validate=choice_of(KIND_LABELS), metadata={"label": "Loại cộng đồng"}
    )
    residential_group_id = fields.Integer(
        load_default=None,
        allow_none=True,
        strict=True,
        validate=_ID,
        metadata={
            "label": "Tổ dân phố, thôn",
            "description": "The registry's group (GET /api/v1/wards/{ward}/residential-groups) "
            "this community is the digital community of: same ward and kind, not yet linked.",
        },
    )


class LeaderNameSchema(Schema):
    """A leader as anyone sees them."""

    name = fields.String(allow_none=True)
    title = fields.String(metadata={"enum": ["leader", "deputy"]})


class CommunitySchema(Schema):
    """A community; `invite_code` and `join_url` only for its leaders and the ward's staff."""

    id = fields.Integer()
    ward = fields.String(metadata={"example": "00070"})
    name = fields.String()
    kind = fields.String(metadata={"enum": list(KINDS)})
    kind_label = label_field(KIND_LABELS, of="kind")
    leader_label = fields.String(
        dump_only=True,
        metadata={
            "description": "Tên gọi người đứng đầu, chữ thường / what the leader is called, "
            "in lower case to be said within a sentence: "
            + ", ".join(f"{kind} = {label}" for kind, label in LEADER_LABELS.items())
            + ".",
            "example": "tổ trưởng",
        },
    )
    member_count = fields.Integer()
    leaders = fields.List(fields.Nested(LeaderNameSchema))
    residential_group_id = fields.Integer(
        allow_none=True,
        metadata={"description": "The registry's tổ dân phố or thôn this community belongs to."},
    )
    my_status = fields.String(allow_none=True, metadata={"enum": ["active", "pending", None]})
    invite_code = fields.String()
    join_url = fields.String()
    created_at = LocalDateTime()


class CommunityListArgsSchema(PageArgsSchema):
    """Filters of a ward's community list."""

    kind = Text(
        load_default=None, validate=choice_of(KIND_LABELS), metadata={"label": "Loại cộng đồng"}
    )
    q = Text(
        load_default=None,
        allow_blank=True,
        validate=validate.Length(max=120),
        metadata={"label": "Từ khóa"},
    )


class CommunityListSchema(Schema):
    """A page of communities."""

    items = fields.List(fields.Nested(CommunitySchema))
    next_cursor = fields.String(allow_none=True)


class JoinSchema(Schema):
    """Join with the invite code; without one, ask to join (a leader approves)."""

    invite_code = Text(
        load_default=None,
        allow_none=True,
        validate=validate.Length(min=1, max=16),
        metadata={"label": "Mã mời"},
    )


class MembershipSchema(Schema):
    """The caller's membership of a community."""

    community_id = fields.Integer()
    user_id = fields.Integer()
    status = fields.String(metadata={"enum": ["active", "pending"]})
    leader_title = fields.String(allow_none=True)
    household = fields.String(allow_none=True)
    household_confirmed = fields.Boolean()
    joined_at = LocalDateTime()


class HouseholdSchema(Schema):
    """The household id a member states (null clears it)."""

    household = Text(
        required=True,
        allow_none=True,
        validate=[validate.Length(min=1, max=40), no_control_chars],
        metadata={"label": "Mã hộ", "example": "HK-0123"},
    )


class MemberAddSchema(Schema):
    """A resident who has signed in at least once, named by their subject identifier."""

    sub = Text(
        required=True,
        validate=validate.Length(min=1, max=255),
        metadata={"label": "Mã định danh người dân"},
    )


class LeaderAppointSchema(Schema):
    """Appoint a leader (or a deputy) by user id or subject identifier."""

    user_id = fields.Integer(
        load_default=None, strict=True, validate=_ID, metadata={"label": "Người dùng"}
    )
    sub = Text(
        load_default=None,
        validate=validate.Length(min=1, max=255),
        metadata={"label": "Mã định danh người dân"},
    )
    deputy = fields.Boolean(load_default=False, metadata={"label": "Cấp phó"})

    @validates_schema
    def _one_person(self, data, **kwargs):
        if (data["user_id"] is None) == (data["sub"] is None):
            raise ValidationError(
                "Cần đúng một trong hai: người dùng hoặc mã định danh người dân.", "user_id"
            )


class MemberSchema(Schema):
    """A member: leaders and staff see every field, members only names."""

    user_id = fields.Integer()
    name = fields.String(allow_none=True)
    role = fields.String(metadata={"enum": ["leader", "deputy", "member"]})
    status = fields.String(metadata={"enum": ["active", "pending"]})
    household = fields.String(allow_none=True)
    household_confirmed = fields.Boolean()
    joined_at = LocalDateTime()


class MemberListSchema(Schema):
    """A page of members."""

    items = fields.List(fields.Nested(MemberSchema))
    next_cursor = fields.String(allow_none=True)


class MembershipCommunitySchema(Schema):
    """The community of one of the caller's memberships, named (no request per community)."""

    id = fields.Integer()
    name = fields.String()
    kind = fields.String(metadata={"enum": list(KINDS)})
    kind_label = fields.String()
    ward = fields.String(metadata={"description": "The ward's code."})


class MyMembershipSchema(MembershipSchema):
    """One of the caller's memberships, with its community."""

    community = fields.Nested(MembershipCommunitySchema)


class MyCommunitiesSchema(Schema):
    """The caller's communities and followed wards."""

    items = fields.List(fields.Nested(MyMembershipSchema))
    followed_wards = fields.List(fields.String())


class FollowSchema(Schema):
    """Whether the caller follows the ward."""

    ward = fields.String()
    following = fields.Boolean()
