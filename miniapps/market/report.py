"""The zone report as CSV: UTF-8 with a byte-order mark so that Excel shows Vietnamese right."""

import csv
import io

from miniapps.market.models import ZONE_KIND_LABELS
from miniapps.market.service import REPORT_FIELDS

BOM = "\ufeff"


def _cell(value):
    """Keep text that a spreadsheet would run as a formula (=, +, -, @) as plain text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def to_csv(report: dict) -> bytes:
    """Write the report as one header row of Vietnamese labels and one row of values."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    zone, ward = report["zone"], report["ward"]
    writer.writerow(
        ["Phường/xã", "Mã phường/xã", "Khu", "Loại"] + [label for _, label in REPORT_FIELDS]
    )
    kind = ZONE_KIND_LABELS.get(zone.kind, zone.kind)
    row = [ward.name, ward.code, zone.name, kind] + [report[key] for key, _ in REPORT_FIELDS]
    writer.writerow([_cell(value) for value in row])
    return (BOM + out.getvalue()).encode("utf-8")
