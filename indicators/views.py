"""Indicator endpoints."""

from datetime import timedelta

from flask import Response
from flask_smorest import Blueprint

from app.apidoc import json_or_csv
from app.errors import ValidationFailed
from app.spreadsheet import attachment, csv_bytes
from app.wards import service as wards
from app.wards.models import TYPE_LABELS
from indicators import history, service
from indicators.schemas import HistoryArgsSchema, HistorySchema, KpiArgsSchema, KpiSchema

blp = Blueprint("kpi", __name__, description="Chỉ tiêu đo từ hệ thống")

CSV_HEADER = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Loại",
    "Mã chỉ tiêu",
    "Tên chỉ tiêu",
    "Giá trị",
    "Mục tiêu",
    "Trạng thái",
    "Tử số",
    "Mẫu số",
]


@blp.get("/api/v1/kpi")
@blp.arguments(KpiArgsSchema, location="query")
@blp.response(200, KpiSchema)
@blp.doc(
    **json_or_csv(KpiSchema, "The indicators (JSON, or CSV in UTF-8 with a BOM with ?format=csv)")
)
def get_kpi(args):
    """Get the indicators measured from the system, for one ward or all 126 units."""
    codes = [wards.get(args["ward"]).code] if args["ward"] else None
    entries = service.measure(ward_codes=codes)
    if args["format"] == "csv":
        return _csv(entries)
    return {"items": entries, "next_cursor": None, "summary": service.summarize(entries)}


HISTORY_DEFAULT_DAYS = 90
HISTORY_MAX_DAYS = 800


@blp.get("/api/v1/kpi/history")
@blp.arguments(HistoryArgsSchema, location="query")
@blp.response(200, HistorySchema)
def get_history(args):
    """Get a unit's series of one indicator from the daily snapshots, oldest first."""
    ward = wards.get(args["ward"])
    indicator = service.by_id(args["indicator"])
    if indicator is None:
        known = ", ".join(ind.id for ind in service.registered())
        raise ValidationFailed.on_field(
            "indicator",
            "Chỉ tiêu",
            f"Không có chỉ tiêu này; chọn một trong: {known}.",
            location="query",
        )
    last = args["to"] or history.local_today()
    first = args["from_"] or last - timedelta(days=HISTORY_DEFAULT_DAYS - 1)
    if first > last:
        raise ValidationFailed.on_field(
            "from", "Từ ngày", "Phải trước hoặc bằng «Đến ngày».", location="query"
        )
    if (last - first).days >= HISTORY_MAX_DAYS:
        raise ValidationFailed.on_field(
            "from", "Từ ngày", f"Mỗi lần xem tối đa {HISTORY_MAX_DAYS} ngày.", location="query"
        )
    return {
        "ward": ward,
        "indicator": indicator.id,
        "name": indicator.name,
        "unit": indicator.unit,
        "target": indicator.target,
        "deadline": indicator.deadline,
        "items": history.series(ward.code, indicator.id, first, last),
    }


def _csv(entries: list[dict]) -> Response:
    rows = [
        [
            entry["ward"]["code"],
            entry["ward"]["name"],
            TYPE_LABELS[entry["ward"]["type"]],
            ind["id"],
            ind["name"],
            ind["value"],
            ind["target"],
            service.STATUS_LABELS[ind["status"]],
            ind["numerator"],
            ind["denominator"],
        ]
        for entry in entries
        for ind in entry["indicators"]
    ]
    return Response(
        csv_bytes(CSV_HEADER, rows), mimetype="text/csv", headers=attachment("chi-tieu.csv")
    )
