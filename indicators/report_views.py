"""The ward's monthly report endpoint (`GET /api/v1/kpi/report.pdf`), on the kpi blueprint."""

import re
from datetime import date

from flask import Response
from marshmallow import Schema, ValidationError, fields, validates

from app.fields import Text
from app.identity import auth
from app.identity.policy import client_may, is_ward_staff, require
from app.strict import MSG_REQUIRED
from app.wards import service as wards
from indicators import history, report, report_pdf
from indicators.views import blp

STAFF_ONLY = "Chỉ cán bộ của phường, xã này hoặc quản trị thành phố mới xem được báo cáo tháng."
_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")


class Month(fields.Field):
    """A calendar month written YYYY-MM, loaded as its first day."""

    default_error_messages = {
        "required": MSG_REQUIRED,
        "null": MSG_REQUIRED,
        "invalid": "Tháng không hợp lệ; viết theo dạng YYYY-MM, ví dụ 2025-07.",
    }

    def _serialize(self, value, attr, obj, **kwargs) -> str | None:
        return None if value is None else f"{value:%Y-%m}"

    def _deserialize(self, value, attr, data, **kwargs) -> date:
        found = _MONTH.match(value.strip()) if isinstance(value, str) else None
        if found is None or not 1 <= int(found[2]) <= 12 or int(found[1]) < 1:
            raise self.make_error("invalid")
        return date(int(found[1]), int(found[2]), 1)


class ReportArgsSchema(Schema):
    """`?ward=` (code or slug) and `?month=YYYY-MM`, from 2025-07 to the current month."""

    ward = Text(
        required=True,
        error_messages={"required": MSG_REQUIRED},
        metadata={"label": "Phường, xã", "example": "hoan-kiem"},
    )
    month = Month(
        required=True,
        metadata={
            "label": "Tháng",
            "example": "2025-07",
            "type": "string",  # a plain Field: say what _MONTH takes in the OpenAPI document
            "pattern": r"^\s*[0-9]{4}-(0[1-9]|1[0-2])\s*$",
            "description": "YYYY-MM, from 2025-07 (the wards' formation) to the current month.",
        },
    )

    @validates("month")
    def _in_range(self, value: date, **kwargs) -> None:
        if value < report.FIRST_MONTH:
            raise ValidationError(
                "Các phường, xã mới hoạt động từ tháng 07/2025; chọn tháng từ 2025-07 trở đi."
            )
        if value > history.local_today().replace(day=1):
            raise ValidationError("Tháng này chưa tới; chọn tháng hiện tại hoặc trước đó.")


@blp.get("/api/v1/kpi/report.pdf")
@blp.arguments(ReportArgsSchema, location="query")
@blp.response(200, content_type="application/pdf")
@blp.doc(
    responses={
        "200": {
            "description": "The report, A4, in Vietnamese, as a download",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
)
def get_monthly_report(args):
    """Get a ward's monthly digital-transformation report as a PDF (ward staff, city admin,
    API clients with kpi:read over the ward)."""
    user = auth.require_user()
    ward = wards.get(args["ward"])
    require(is_ward_staff(user, ward.code) or client_may("kpi:read", ward.code), STAFF_ONLY)
    body = report_pdf.render(report.build(ward=ward, month=args["month"]))
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="bao-cao-{ward.slug}-{args["month"]:%Y-%m}.pdf"'
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
