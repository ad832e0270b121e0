"""Indicator schemas."""

from marshmallow import Schema, fields, validate

from app.fields import Day, LocalDateTime, Text, label_field
from app.wards.schemas import WardSchema
from indicators.status import STATUS_LABELS, STATUSES

_STATUS_DOC = {
    "enum": list(STATUSES),
    "description": "met: reached; on_track: the last 30 days' trend reaches the target by its "
    "deadline; at_risk: it does not; missed: the deadline passed below the target; no_data; "
    "info: no target.",
}


class KpiArgsSchema(Schema):
    """`?ward=` (code or slug; all 126 units without it) and `?format=json|csv`."""

    ward = Text(
        load_default=None,
        allow_blank=True,
        metadata={"label": "Phường, xã", "example": "hoan-kiem"},
    )
    format = Text(
        load_default="json",
        validate=validate.OneOf(["json", "csv"]),
        metadata={"label": "Định dạng"},
    )


class IndicatorSchema(Schema):
    """One indicator of one ward."""

    id = fields.String()
    name = fields.String()
    description = fields.String()
    unit = fields.String(
        metadata={
            "enum": ["ratio", "flag", "people", "average"],
            "description": "ratio: a share 0–1; flag: 0 or 1; people: a count; "
            "average: a mean (e.g. stars 1–5).",
        }
    )
    value = fields.Float(allow_none=True)
    target = fields.Float(allow_none=True)
    status = fields.String(metadata=_STATUS_DOC)
    status_label = label_field(STATUS_LABELS, of="status")
    deadline = fields.Date(allow_none=True, metadata={"description": "When the target is due"})
    source = fields.String(metadata={"description": "Where the target comes from"})
    numerator = fields.Integer()
    denominator = fields.Integer(allow_none=True)


class WardKpiSchema(Schema):
    """The indicators of one ward."""

    ward = fields.Nested(WardSchema)
    indicators = fields.List(fields.Nested(IndicatorSchema))
    measured_at = LocalDateTime()


class SummarySchema(Schema):
    """How many wards meet an indicator's target."""

    id = fields.String()
    name = fields.String()
    target = fields.Float(allow_none=True)
    deadline = fields.Date(allow_none=True)
    wards_met = fields.Integer()
    wards_on_track = fields.Integer()
    wards_at_risk = fields.Integer()
    wards_missed = fields.Integer()
    wards_not_met = fields.Integer(metadata={"description": "on_track + at_risk + missed"})
    wards_no_data = fields.Integer()


class KpiSchema(Schema):
    """Indicators per ward (one entry per unit), with a city-wide summary."""

    items = fields.List(fields.Nested(WardKpiSchema))
    next_cursor = fields.String(allow_none=True)
    summary = fields.List(fields.Nested(SummarySchema))


class HistoryArgsSchema(Schema):
    """`?ward=&indicator=&from=&to=` (the last 90 days by default)."""

    ward = Text(required=True, metadata={"label": "Phường, xã", "example": "hoan-kiem"})
    indicator = Text(
        required=True, metadata={"label": "Chỉ tiêu", "example": "residential_groups_active"}
    )
    from_ = Day(data_key="from", load_default=None, metadata={"label": "Từ ngày"})
    to = Day(load_default=None, metadata={"label": "Đến ngày"})


class HistoryPointSchema(Schema):
    """An indicator of a unit on one day."""

    date = fields.Date()
    value = fields.Float(allow_none=True)
    target = fields.Float(allow_none=True)
    status = fields.String(metadata=_STATUS_DOC)
    status_label = label_field(STATUS_LABELS, of="status")


class HistorySchema(Schema):
    """A unit's series of one indicator, oldest first."""

    ward = fields.Nested(WardSchema)
    indicator = fields.String()
    name = fields.String()
    unit = fields.String()
    target = fields.Float(allow_none=True)
    deadline = fields.Date(allow_none=True)
    items = fields.List(fields.Nested(HistoryPointSchema))
