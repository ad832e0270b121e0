"""Appointment and queue schemas: what the API takes (checked for shape) and what it answers."""

import re

from marshmallow import Schema, ValidationError, fields, validate

from app.database import MAX_ID
from app.fields import Day, LocalDateTime, Text, label_field, no_control_chars
from app.pagination import PageArgsSchema
from app.validation import choice_of
from appointments.models import (
    KIND_LABELS,
    SOURCE_LABELS,
    STATUS_LABELS,
    TICKET_STATUS_LABELS,
    WEEKDAY_LABELS,
)
from appointments.slots import minutes_text

_CLOCK = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")
# How the OpenAPI document describes a ClockTime.
_CLOCK_DOC = {"type": "string", "pattern": _CLOCK.pattern, "description": "Giờ địa phương GG:PP"}


def _id(label: str, **kwargs) -> fields.Integer:
    return fields.Integer(
        strict=True, validate=validate.Range(min=1, max=MAX_ID), metadata={"label": label}, **kwargs
    )


def _query_id(label: str) -> fields.Integer:
    """An id in a query string: text there, so not strict (a body's ids are)."""
    return fields.Integer(
        load_default=None, validate=validate.Range(min=1, max=MAX_ID), metadata={"label": label}
    )


def _int(label: str, low: int, high: int, **kwargs) -> fields.Integer:
    return fields.Integer(
        strict=True, validate=validate.Range(min=low, max=high), metadata={"label": label}, **kwargs
    )


class ClockTime(fields.Field):
    """A local time of day "HH:MM" (00:00 to 24:00), loaded as minutes after midnight."""

    default_error_messages = {"invalid": "Giờ không hợp lệ; dùng dạng GG:PP, ví dụ 07:30."}

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else minutes_text(value)

    def _deserialize(self, value, attr, data, **kwargs) -> int:
        match = _CLOCK.match(value) if isinstance(value, str) else None
        if not match:
            raise self.make_error("invalid")
        minutes = int(match[1]) * 60 + int(match[2])
        if minutes > 24 * 60:
            raise self.make_error("invalid")
        return minutes


# --- services ----------------------------------------------------------------------------


class HoursSchema(Schema):
    """One opening interval on a weekday, local time."""

    weekday = fields.Integer(
        required=True,
        strict=True,
        validate=choice_of(WEEKDAY_LABELS),
        metadata={"label": "Thứ", "description": "1 = Thứ Hai … 7 = Chủ nhật"},
    )
    weekday_label = label_field(WEEKDAY_LABELS, of="weekday")
    start = ClockTime(required=True, metadata={"label": "Từ", "example": "07:30", **_CLOCK_DOC})
    end = ClockTime(required=True, metadata={"label": "Đến", "example": "11:30", **_CLOCK_DOC})


class ServiceUpdateSchema(Schema):
    """Changes to a service; hours replace the old ones; bookings made keep their time."""

    name = Text(
        validate=[validate.Length(min=1, max=120), no_control_chars], metadata={"label": "Tên"}
    )
    kind = Text(validate=choice_of(KIND_LABELS), metadata={"label": "Loại"})
    description = Text(
        allow_blank=True,  # an empty box: no description
        validate=[validate.Length(max=1000), no_control_chars],
        metadata={"label": "Mô tả"},
    )
    location = Text(
        allow_blank=True,  # an empty box: the ward office
        validate=[validate.Length(max=300), no_control_chars],
        metadata={"label": "Địa điểm"},
    )
    duration_minutes = _int("Thời lượng mỗi lượt (phút)", 5, 480)
    capacity = _int("Số người mỗi khung giờ", 1, 100)
    counters = _int("Số quầy", 1, 50)
    book_ahead_days = _int("Đặt trước tối đa (ngày)", 1, 90)
    walk_in_cap = _int("Số lấy tại chỗ tối đa mỗi ngày", 0, 999)
    calls_before_no_show = _int("Số lần gọi trước khi ghi vắng mặt", 1, 5)
    hours = fields.List(
        fields.Nested(HoursSchema),
        validate=validate.Length(min=1, max=28),
        metadata={"label": "Giờ làm việc"},
    )
    active = fields.Boolean(metadata={"label": "Đang nhận đặt lịch"})


class ServiceCreateSchema(ServiceUpdateSchema):
    """A new service of a ward."""

    name = Text(
        required=True,
        validate=[validate.Length(min=1, max=120), no_control_chars],
        metadata={"label": "Tên"},
    )
    kind = Text(
        load_default="procedure", validate=choice_of(KIND_LABELS), metadata={"label": "Loại"}
    )
    description = Text(
        load_default="",
        allow_blank=True,
        validate=[validate.Length(max=1000), no_control_chars],
        metadata={"label": "Mô tả"},
    )
    location = Text(
        load_default="",
        allow_blank=True,
        validate=[validate.Length(max=300), no_control_chars],
        metadata={"label": "Địa điểm"},
    )
    duration_minutes = _int("Thời lượng mỗi lượt (phút)", 5, 480, required=True)
    capacity = _int("Số người mỗi khung giờ", 1, 100, required=True)
    counters = _int("Số quầy", 1, 50, load_default=1)
    book_ahead_days = _int("Đặt trước tối đa (ngày)", 1, 90, load_default=30)
    walk_in_cap = _int("Số lấy tại chỗ tối đa mỗi ngày", 0, 999, load_default=100)
    calls_before_no_show = _int("Số lần gọi trước khi ghi vắng mặt", 1, 5, load_default=2)
    hours = fields.List(
        fields.Nested(HoursSchema),
        required=True,
        validate=validate.Length(min=1, max=28),
        metadata={"label": "Giờ làm việc"},
    )
    active = fields.Boolean(load_default=True, metadata={"label": "Đang nhận đặt lịch"})


class ServiceListArgsSchema(Schema):
    """`?include_inactive=` (ward staff: paused services too)."""

    include_inactive = fields.Boolean(
        load_default=False, metadata={"label": "Gồm cả dịch vụ tạm ngừng"}
    )


class ServiceSchema(Schema):
    id = fields.Integer()
    ward = fields.String()
    name = fields.String()
    kind = fields.String()
    kind_label = label_field(KIND_LABELS, of="kind")
    description = fields.String()
    location = fields.String()
    duration_minutes = fields.Integer()
    capacity = fields.Integer()
    counters = fields.Integer()
    book_ahead_days = fields.Integer()
    walk_in_cap = fields.Integer()
    calls_before_no_show = fields.Integer()
    active = fields.Boolean()
    hours = fields.List(fields.Nested(HoursSchema))


class ServiceListSchema(Schema):
    items = fields.List(fields.Nested(ServiceSchema))


class SlotArgsSchema(Schema):
    """`?date=YYYY-MM-DD`, a local day."""

    date = Day(required=True, metadata={"label": "Ngày"})


class SlotSchema(Schema):
    start = LocalDateTime()
    end = LocalDateTime()
    capacity = fields.Integer()
    remaining = fields.Integer()


class SlotListSchema(Schema):
    date = fields.Date()
    closed_reason = fields.String(allow_none=True)
    items = fields.List(fields.Nested(SlotSchema))


class DaySchema(Schema):
    date = fields.Date()
    weekday_label = fields.String()
    open = fields.Boolean()
    closed_reason = fields.String(allow_none=True)
    remaining = fields.Integer()


class DayListSchema(Schema):
    items = fields.List(fields.Nested(DaySchema))


# --- appointments --------------------------------------------------------------------------


class AppointmentCreateSchema(Schema):
    """A booking: the service and the start of one of its free slots."""

    service_id = _id("Dịch vụ", required=True)
    start = LocalDateTime(
        required=True, metadata={"label": "Giờ hẹn", "example": "2026-12-01T08:00:00+07:00"}
    )


class RatingSchema(Schema):
    stars = _int("Số sao", 1, 5, required=True)


class RatingOutSchema(Schema):
    appointment_id = fields.Integer()
    stars = fields.Integer()
    created_at = LocalDateTime()


class ServiceRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    kind = fields.String()
    kind_label = fields.String()
    location = fields.String()


class PersonSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class TicketSchema(Schema):
    id = fields.Integer()
    number = fields.Integer()
    ward = fields.String()
    service_id = fields.Integer()
    service_name = fields.String()
    date = fields.Date()
    source = fields.String()
    source_label = label_field(SOURCE_LABELS, of="source")
    appointment_id = fields.Integer(allow_none=True)
    appointment_start = LocalDateTime(allow_none=True)
    status = fields.String()
    status_label = label_field(TICKET_STATUS_LABELS, of="status")
    counter = fields.Integer(allow_none=True)
    call_count = fields.Integer()
    queued_at = LocalDateTime()
    called_at = LocalDateTime(allow_none=True)
    finished_at = LocalDateTime(allow_none=True)
    waiting_ahead = fields.Integer(
        allow_none=True, metadata={"description": "Người chờ trước (khi đang chờ)"}
    )
    estimated_wait_minutes = fields.Integer(allow_none=True)


class TicketListSchema(Schema):
    items = fields.List(fields.Nested(TicketSchema))
    next_cursor = fields.String(allow_none=True)


class AppointmentSchema(Schema):
    id = fields.Integer()
    code = fields.String()
    ward = fields.String()
    ward_name = fields.String()
    service = fields.Nested(ServiceRefSchema)
    start = LocalDateTime()
    end = LocalDateTime()
    status = fields.String(metadata={"enum": list(STATUS_LABELS)})
    status_label = fields.String(
        metadata={"description": "Tên trạng thái; «Không đến» khi đã qua giờ mà chưa đến quầy"}
    )
    missed = fields.Boolean()
    expired = fields.Boolean(
        metadata={"description": "Đã đến quầy nhưng hết ngày chưa được phục vụ xong"}
    )
    created_at = LocalDateTime()
    cancelled_at = LocalDateTime(allow_none=True)
    ticket = fields.Nested(TicketSchema, allow_none=True)
    can_cancel = fields.Boolean()
    can_rate = fields.Boolean()
    rating = fields.Integer(allow_none=True)
    reminded = fields.Boolean()
    ticket_url = fields.String()
    calendar_url = fields.String()
    holder = fields.Nested(PersonSchema, allow_none=True)


class AppointmentListSchema(Schema):
    items = fields.List(fields.Nested(AppointmentSchema))
    next_cursor = fields.String(allow_none=True)


class ReminderListSchema(Schema):
    items = fields.List(fields.Nested(AppointmentSchema))


class ScheduleArgsSchema(PageArgsSchema):
    """`?date=&service_id=&status=` of a ward's schedule (today by default)."""

    date = Day(load_default=None, metadata={"label": "Ngày"})
    service_id = _query_id("Dịch vụ")
    status = Text(
        load_default=None, validate=choice_of(STATUS_LABELS), metadata={"label": "Trạng thái"}
    )


# --- the hall ------------------------------------------------------------------------------


class CheckInSchema(Schema):
    code = Text(
        required=True,
        validate=[validate.Length(min=1, max=40), no_control_chars],
        metadata={"label": "Mã lịch hẹn"},
    )


class WalkInSchema(Schema):
    service_id = _id("Dịch vụ", required=True)


class CallNextSchema(Schema):
    counter = _int("Quầy", 1, 50, required=True)
    service_id = _id("Dịch vụ", load_default=None)


class RecallSchema(Schema):
    counter = _int("Quầy", 1, 50, load_default=None)


class TicketListArgsSchema(PageArgsSchema):
    """`?service_id=&status=&limit=&cursor=` of today's tickets."""

    service_id = _query_id("Dịch vụ")
    status = Text(
        load_default=None,
        validate=choice_of(TICKET_STATUS_LABELS),
        metadata={"label": "Trạng thái"},
    )


class ServingSchema(Schema):
    number = fields.Integer()
    counter = fields.Integer()
    call_count = fields.Integer(metadata={"description": "Số lần đã gọi (gọi lại thì tăng)"})


class ServiceBoardSchema(Schema):
    service_id = fields.Integer()
    name = fields.String()
    serving = fields.List(fields.Nested(ServingSchema))
    waiting = fields.Integer()
    next_numbers = fields.List(fields.Integer())
    estimated_wait_minutes = fields.Integer()


class QueueBoardSchema(Schema):
    ward = fields.String()
    ward_name = fields.String()
    date = fields.Date()
    generated_at = LocalDateTime()
    services = fields.List(fields.Nested(ServiceBoardSchema))


# --- statistics ----------------------------------------------------------------------------


def _csv_or_json(value: str) -> None:
    if value not in ("json", "csv"):
        raise ValidationError("Định dạng phải là json hoặc csv.")


class StatsArgsSchema(Schema):
    """`?from=&to=&service_id=&format=` (the last 30 days by default)."""

    from_ = Day(data_key="from", load_default=None, metadata={"label": "Từ ngày"})
    to = Day(load_default=None, metadata={"label": "Đến ngày"})
    service_id = _query_id("Dịch vụ")
    format = Text(
        load_default="json",
        validate=_csv_or_json,
        metadata={"label": "Định dạng", "enum": ["json", "csv"]},
    )


class StatsRowSchema(Schema):
    service_id = fields.Integer(allow_none=True)
    name = fields.String()
    bookings = fields.Integer()
    cancelled = fields.Integer()
    served = fields.Integer()
    no_shows = fields.Integer()
    walk_ins = fields.Integer()
    unfinished = fields.Integer(
        metadata={"description": "Số đã đến nhưng hết ngày chưa được phục vụ xong"}
    )
    median_wait_minutes = fields.Float(allow_none=True)
    p90_wait_minutes = fields.Float(allow_none=True)
    on_time_share = fields.Float(allow_none=True)
    average_rating = fields.Float(allow_none=True)
    ratings = fields.Integer()


class StatsSchema(Schema):
    from_ = fields.Date(data_key="from")
    to = fields.Date()
    items = fields.List(fields.Nested(StatsRowSchema))
    total = fields.Nested(StatsRowSchema)
