"""Indicator endpoints."""

from flask import Response
from flask_smorest import Blueprint

from app.apidoc import json_or_csv
from app.spreadsheet import attachment, csv_bytes
from app.wards import service as wards
from app.wards.models import TYPE_LABELS
from indicators import service
from indicators.schemas import KpiArgsSchema, KpiSchema

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
