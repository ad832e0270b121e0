"""Indicator schemas."""

from marshmallow import Schema, fields, validate

from app.fields import LocalDateTime, Text
from app.wards.schemas import WardSchema


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
    status = fields.String(metadata={"enum": ["met", "not_met", "no_data", "info"]})
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
    wards_met = fields.Integer()
    wards_not_met = fields.Integer()
    wards_no_data = fields.Integer()


class KpiSchema(Schema):
    """Indicators per ward (one entry per unit), with a city-wide summary."""

    items = fields.List(fields.Nested(WardKpiSchema))
    next_cursor = fields.String(allow_none=True)
    summary = fields.List(fields.Nested(SummarySchema))
