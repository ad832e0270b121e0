"""Poll schemas."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.fields import LocalDateTime, Text, label_field
from app.pagination import PageArgsSchema
from app.validation import choice_of
from app.wards.schemas import WARD_NAMES_DOC, WardNamesField
from community.common import MAX_ID, no_control_chars
from community.polls.models import (
    KIND_LABELS,
    KINDS,
    MAX_QUESTIONS,
    QUESTION_TYPE_LABELS,
    QUESTION_TYPES,
    STATUS_LABELS,
    STATUSES,
    TEXT_ANSWER_MAX,
    VISIBILITIES,
    VISIBILITY_LABELS,
)

_ID = validate.Range(min=1, max=MAX_ID)


class QuestionCreateSchema(Schema):
    """A question: `choice` among `options` (candidates, in an election) or free `text`.

    Consultation questions without options get Đồng ý / Không đồng ý / Không ý kiến and take
    an optional comment. For an election, `max_choices` is the number of seats.
    """

    text = Text(
        required=True,
        validate=[validate.Length(min=1, max=500), no_control_chars],
        metadata={"label": "Nội dung"},
    )
    type = Text(
        load_default="choice",
        validate=choice_of(QUESTION_TYPE_LABELS),
        metadata={"label": "Loại câu hỏi"},
    )
    options = fields.List(
        Text(validate=[validate.Length(min=1, max=300), no_control_chars]),
        load_default=list,
        validate=validate.Length(max=100),
        metadata={"label": "Lựa chọn"},
    )
    min_choices = fields.Integer(
        strict=True,
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=0, max=100),
        metadata={"label": "Số lựa chọn tối thiểu"},
    )
    max_choices = fields.Integer(
        strict=True,
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=1, max=100),
        metadata={"label": "Số lựa chọn tối đa"},
    )
    allow_comment = fields.Boolean(
        load_default=None, allow_none=True, metadata={"label": "Cho phép góp ý"}
    )


class PollCreateSchema(Schema):
    """A new poll of a community (`community_id`) or of a ward's followers (`ward`)."""

    title = Text(
        required=True,
        validate=[validate.Length(min=3, max=200), no_control_chars],
        metadata={"label": "Tiêu đề"},
    )
    description = Text(
        load_default=None,
        allow_none=True,
        validate=[validate.Length(max=5000), no_control_chars],
        metadata={"label": "Mô tả"},
    )
    kind = Text(required=True, validate=choice_of(KIND_LABELS), metadata={"label": "Hình thức"})
    ward = Text(
        load_default=None,
        validate=validate.Length(min=1, max=120),
        metadata={"label": "Phường, xã"},
    )
    community_id = fields.Integer(
        strict=True, load_default=None, validate=_ID, metadata={"label": "Cộng đồng"}
    )
    wards = WardNamesField(
        load_default=None,
        metadata={
            "label": "Các phường, xã",
            "description": 'City-wide publishing: ward codes or slugs, or "all" (instead of '
            "`ward`; city admins, department staff): one poll per ward for its followers. "
            "The answer is then the broadcast: `{id, title, wards, polls[{id, ward}], …}`.",
            **WARD_NAMES_DOC,
        },
    )
    department = Text(
        load_default=None,
        validate=validate.Length(min=1, max=5),
        metadata={
            "label": "Sở, ngành gửi",
            "description": "With `wards`: the department sending it (its staff only).",
        },
    )
    open = fields.Boolean(
        load_default=False,
        metadata={
            "label": "Mở ngay",
            "description": "With `wards`: open every ward's poll at once (else give `opens_at`).",
        },
    )
    questions = fields.List(
        fields.Nested(QuestionCreateSchema),
        required=True,
        validate=validate.Length(min=1, max=MAX_QUESTIONS),
        metadata={"label": "Câu hỏi"},
    )
    secret = fields.Boolean(
        load_default=None,
        allow_none=True,
        metadata={
            "label": "Bỏ phiếu kín",
            "description": "Default: true for elections, false otherwise.",
        },
    )
    opens_at = LocalDateTime(
        load_default=None,
        allow_none=True,
        metadata={
            "label": "Thời điểm mở",
            "description": "Absent: a draft, opened by POST …/open.",
        },
    )
    closes_at = LocalDateTime(
        load_default=None, allow_none=True, metadata={"label": "Thời điểm đóng"}
    )
    results_visibility = Text(
        load_default="after_close",
        validate=choice_of(VISIBILITY_LABELS),
        metadata={"label": "Xem kết quả"},
    )
    quorum_percent = fields.Integer(
        strict=True,
        load_default=0,
        validate=validate.Range(min=0, max=100),
        metadata={"label": "Túc số (%)"},
    )
    one_per_household = fields.Boolean(load_default=False, metadata={"label": "Mỗi hộ một phiếu"})
    min_vneid_level = fields.Integer(
        strict=True,
        load_default=1,
        validate=validate.OneOf([1, 2], labels=["Mức 1", "Mức 2"]),
        metadata={"label": "Mức định danh VNeID tối thiểu"},
    )
    allow_change = fields.Boolean(load_default=False, metadata={"label": "Cho phép đổi phiếu"})

    @validates_schema
    def _scope(self, data, **kwargs):
        if data.get("wards") is not None:
            if data.get("ward") is not None or data.get("community_id") is not None:
                raise ValidationError(
                    "Gửi nhiều phường, xã (wards) thì không chọn một phường, xã hay cộng đồng.",
                    "wards",
                )
            if not data.get("open") and data.get("opens_at") is None:
                raise ValidationError(
                    "Khảo sát gửi nhiều phường, xã không lưu nháp: hãy mở ngay hoặc hẹn giờ mở.",
                    "open",
                )
            if data.get("open") and data.get("opens_at") is not None:
                raise ValidationError("Chọn mở ngay hoặc hẹn giờ mở, không chọn cả hai.", "open")
            _check_citywide_size(data)
            return
        for field in ("department", "open"):
            if data.get(field):
                raise ValidationError("Chỉ dùng khi gửi nhiều phường, xã (wards).", field)
        if (data.get("ward") is None) == (data.get("community_id") is None):
            raise ValidationError(
                "Cần chọn đúng một trong hai: một phường, xã hoặc một cộng đồng.", "ward"
            )


# A city-wide send writes every question and option once per ward, in one transaction that
# holds the database's write lock: its size is bounded (126 wards × 150 ≈ 19,000 rows).
MAX_CITYWIDE_ROWS = 19_000
ALL_WARD_COUNT = 126


def _check_citywide_size(data: dict) -> None:
    """Refuse a city-wide poll too large to write in one request (questions and options)."""
    wards = data["wards"]
    count = ALL_WARD_COUNT if isinstance(wards, str) else len(set(wards))
    per_poll = sum(1 + len(q.get("options") or []) for q in data.get("questions") or [])
    if count * per_poll > MAX_CITYWIDE_ROWS:
        most = MAX_CITYWIDE_ROWS // max(count, 1)
        raise ValidationError(
            f"Gửi tới {count} phường, xã thì câu hỏi và phương án cộng lại tối đa {most} "
            f"(khảo sát này có {per_poll}): hãy bớt câu hỏi hoặc phương án.",
            "questions",
        )


class OptionSchema(Schema):
    """An option of a choice question."""

    id = fields.Integer()
    text = fields.String()


class QuestionSchema(Schema):
    """A question of a poll."""

    id = fields.Integer()
    text = fields.String()
    type = fields.String(metadata={"enum": list(QUESTION_TYPES)})
    min_choices = fields.Integer()
    max_choices = fields.Integer()
    allow_comment = fields.Boolean()
    options = fields.List(fields.Nested(OptionSchema))


class MyPollStateSchema(Schema):
    """The caller's standing in the poll."""

    eligible = fields.Boolean()
    voted = fields.Boolean()
    can_manage = fields.Boolean()
    results_visible = fields.Boolean()


class PollSchema(Schema):
    """A poll with its questions."""

    id = fields.Integer()
    ward = fields.String()
    community_id = fields.Integer(allow_none=True)
    kind = fields.String(metadata={"enum": list(KINDS)})
    kind_label = label_field(KIND_LABELS, of="kind")
    title = fields.String()
    description = fields.String(allow_none=True)
    secret = fields.Boolean()
    results_visibility = fields.String(metadata={"enum": list(VISIBILITIES)})
    quorum_percent = fields.Integer()
    one_per_household = fields.Boolean()
    min_vneid_level = fields.Integer()
    allow_change = fields.Boolean()
    status = fields.String(metadata={"enum": list(STATUSES)})
    status_label = label_field(STATUS_LABELS, of="status")
    opens_at = LocalDateTime(allow_none=True)
    closes_at = LocalDateTime(allow_none=True)
    opened_at = LocalDateTime(allow_none=True)
    closed_at = LocalDateTime(allow_none=True)
    eligible = fields.Integer(
        allow_none=True, metadata={"description": "Voters (or households) eligible at opening."}
    )
    questions = fields.List(fields.Nested(QuestionSchema))
    my = fields.Nested(MyPollStateSchema, allow_none=True)
    created_at = LocalDateTime()


class PollListArgsSchema(PageArgsSchema):
    """Filters of the poll list."""

    ward = Text(
        load_default=None,
        validate=validate.Length(min=1, max=120),
        metadata={"label": "Phường, xã"},
    )
    community_id = fields.Integer(load_default=None, validate=_ID, metadata={"label": "Cộng đồng"})
    status = Text(
        load_default=None, validate=choice_of(STATUS_LABELS), metadata={"label": "Trạng thái"}
    )


class PollListSchema(Schema):
    """A page of polls."""

    items = fields.List(fields.Nested(PollSchema))
    next_cursor = fields.String(allow_none=True)


class MyPollListSchema(Schema):
    """The polls open now for the caller."""

    items = fields.List(fields.Nested(PollSchema))


class CloseSchema(Schema):
    """Why a poll is closed (recorded in its audit log when closed early)."""

    reason = Text(
        load_default="",
        validate=[validate.Length(max=500), no_control_chars],
        metadata={"label": "Lý do"},
    )


class AnswerSchema(Schema):
    """An answer: chosen option ids, or a text (a consultation may send both: choice + comment)."""

    question = fields.Integer(
        strict=True, required=True, validate=_ID, metadata={"label": "Câu hỏi"}
    )
    options = fields.List(
        fields.Integer(strict=True, validate=_ID),
        validate=validate.Length(max=100),
        metadata={"label": "Lựa chọn"},
    )
    # An empty box is no answer (an optional free-text question left empty).
    text = Text(
        allow_blank=True,
        validate=[validate.Length(max=TEXT_ANSWER_MAX * 2), no_control_chars],
        metadata={"label": "Câu trả lời"},
    )

    @validates_schema
    def _one_kind(self, data, **kwargs):
        if "options" not in data and "text" not in data:
            raise ValidationError("Cần chọn ít nhất một lựa chọn hoặc viết câu trả lời.", "options")


class BallotSchema(Schema):
    """A ballot: one answer per question."""

    answers = fields.List(
        fields.Nested(AnswerSchema),
        required=True,
        validate=validate.Length(max=MAX_QUESTIONS),
        metadata={"label": "Câu trả lời"},
    )


class ReceiptSchema(Schema):
    """The voter's receipt: keep it to find one's ballot in the published list after closing."""

    receipt = fields.String(metadata={"example": "7KQ2-M9XD-4TBW-PA3N-C8HV"})
    receipt_hash = fields.String(metadata={"description": "SHA-256 (hex) of the receipt."})
    poll_id = fields.Integer()


class ResultOptionSchema(Schema):
    """An option's count."""

    id = fields.Integer()
    text = fields.String()
    count = fields.Integer()


class ResultQuestionSchema(Schema):
    """A question's counts (and, for free text and comments, the answers given, sorted)."""

    id = fields.Integer()
    text = fields.String()
    type = fields.String()
    options = fields.List(fields.Nested(ResultOptionSchema))
    answers = fields.List(fields.String())


class ResultsSchema(Schema):
    """Results: counts per option, turnout (ballots counted), eligible (at opening), quorum."""

    poll_id = fields.Integer()
    title = fields.String()
    kind = fields.String()
    status = fields.String()
    final = fields.Boolean()
    questions = fields.List(fields.Nested(ResultQuestionSchema))
    turnout = fields.Integer()
    eligible = fields.Integer(allow_none=True)
    turnout_share = fields.Float(allow_none=True)
    quorum_percent = fields.Integer()
    quorum_reached = fields.Boolean()
    sha256 = fields.String(
        metadata={"description": "SHA-256 of the canonical JSON export (`?format=json`)."}
    )


class ResultsArgsSchema(Schema):
    """Results as JSON (default), the canonical JSON export, or CSV."""

    format = Text(
        load_default=None,
        validate=validate.OneOf(["json", "csv"]),
        metadata={"label": "Định dạng"},
    )


class BallotListArgsSchema(PageArgsSchema):
    """Find one's ballot by the SHA-256 of one's receipt (computed on one's own device)."""

    receipt_hash = Text(
        load_default=None,
        validate=validate.Regexp(
            r"^[0-9a-fA-F]{64}$", error="Phải là mã SHA-256 gồm 64 chữ số thập lục phân."
        ),
        metadata={"label": "Mã băm của phiếu"},
    )


class PublishedAnswerSchema(Schema):
    """An answer as published."""

    question = fields.Integer()
    options = fields.List(fields.Integer())
    text = fields.String()


class PublishedBallotSchema(Schema):
    """A counted ballot, by receipt hash."""

    receipt_hash = fields.String()
    answers = fields.List(fields.Nested(PublishedAnswerSchema))


class BallotListSchema(Schema):
    """A page of the closed poll's ballots, sorted by receipt hash."""

    items = fields.List(fields.Nested(PublishedBallotSchema))
    next_cursor = fields.String(allow_none=True)


class AuditEntrySchema(Schema):
    """An entry of the poll's audit log."""

    action = fields.String()
    actor_name = fields.String(allow_none=True)
    at = LocalDateTime()
    detail = fields.String(allow_none=True)


class AuditListSchema(Schema):
    """The poll's audit log."""

    items = fields.List(fields.Nested(AuditEntrySchema))


class PollBroadcastPollSchema(Schema):
    """One ward's poll of a city-wide poll."""

    id = fields.Integer()
    ward = fields.String()


class PollSenderSchema(Schema):
    """The department that sent a city-wide poll."""

    code = fields.String()
    name = fields.String()
    short_name = fields.String()


class PollBroadcastSchema(Schema):
    """A poll sent to many wards: one poll per ward, and its reach in total."""

    id = fields.Integer()
    title = fields.String()
    kind = fields.String(metadata={"enum": list(KINDS)})
    kind_label = label_field(KIND_LABELS, of="kind")
    department = fields.Nested(PollSenderSchema, allow_none=True)
    author_name = fields.String(allow_none=True)
    created_at = LocalDateTime()
    opens_at = LocalDateTime(allow_none=True)
    closes_at = LocalDateTime(allow_none=True)
    wards = fields.Integer(metadata={"description": "How many wards it was sent to."})
    opened = fields.Integer(metadata={"description": "Wards where it has opened."})
    eligible = fields.Integer(
        metadata={"description": "Followers eligible when each ward's poll opened, all wards."}
    )
    turnout = fields.Integer(metadata={"description": "Of them, those who answered."})
    share = fields.Float(metadata={"description": "turnout / eligible, from 0 to 1"})


class PollBroadcastCreatedSchema(PollBroadcastSchema):
    """The created city-wide poll, with each ward's poll."""

    polls = fields.List(fields.Nested(PollBroadcastPollSchema))


class PollWardReachSchema(Schema):
    """A city-wide poll's reach in one ward, from that ward's poll."""

    ward = fields.String()
    name = fields.String()
    poll_id = fields.Integer()
    status = fields.String(metadata={"enum": list(STATUSES)})
    eligible = fields.Integer(
        allow_none=True, metadata={"description": "Followers eligible at opening (null before)."}
    )
    turnout = fields.Integer()
    share = fields.Float(metadata={"description": "turnout / eligible, from 0 to 1"})


class PollBroadcastReachSchema(PollBroadcastCreatedSchema):
    """A city-wide poll with its reach per ward (`items`, by ward code) and in total."""

    items = fields.List(fields.Nested(PollWardReachSchema))


class PollBroadcastListSchema(Schema):
    """A page of city-wide polls, newest first."""

    items = fields.List(fields.Nested(PollBroadcastSchema))
    next_cursor = fields.String(allow_none=True)
