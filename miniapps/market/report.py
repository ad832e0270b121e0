"""The zone report as CSV: Vietnamese headers and labels, written by app.spreadsheet."""

from app.spreadsheet import csv_bytes
from miniapps.market.models import ZONE_KIND_LABELS
from miniapps.market.service import REPORT_FIELDS


def to_csv(report: dict) -> bytes:
    """Write the report as one header row of Vietnamese labels and one row of values."""
    zone, ward = report["zone"], report["ward"]
    header = ["Phường/xã", "Mã phường/xã", "Khu", "Loại"] + [label for _, label in REPORT_FIELDS]
    kind = ZONE_KIND_LABELS.get(zone.kind, zone.kind)
    row = [ward.name, ward.code, zone.name, kind] + [report[key] for key, _ in REPORT_FIELDS]
    return csv_bytes(header, [row])
