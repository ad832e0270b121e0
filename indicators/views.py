"""Indicator endpoints."""

import csv
import io

from flask import Response
from flask_smorest import Blueprint

from app.apidoc import json_or_csv
from app.wards import service as wards
from indicators import service
from indicators.schemas import KpiArgsSchema, KpiSchema

blp = Blueprint("kpi", __name__, description="Chỉ tiêu đo từ hệ thống")

CSV_HEADER = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Loại",
    "Chỉ tiêu",
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
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for entry in entries:
        ward = entry["ward"]
        for ind in entry["indicators"]:
            writer.writerow(
                [
                    ward["code"],
                    ward["name"],
                    ward["type"],
                    ind["id"],
                    ind["name"],
                    "" if ind["value"] is None else ind["value"],
                    "" if ind["target"] is None else ind["target"],
                    ind["status"],
                    ind["numerator"],
                    "" if ind["denominator"] is None else ind["denominator"],
                ]
            )
    # The byte-order mark makes Excel read the Vietnamese names as UTF-8.
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="chi-tieu.csv"'},
    )
