"""Marshmallow fields shared by every package's schemas, for input the database can take."""

from datetime import UTC, datetime

from marshmallow import fields

# Times are shown in Asia/Ho_Chi_Minh (+07:00) and compared with offsets added: keep a year of
# headroom on both sides of what Python's datetime can hold, or showing one fails (500).
MIN_TIME = datetime(1900, 1, 1, tzinfo=UTC)
MAX_TIME = datetime(9998, 12, 31, tzinfo=UTC)


class UtcDateTime(fields.AwareDateTime):
    """An ISO 8601 time that must carry its offset; loaded as an aware UTC datetime.

    marshmallow's AwareDateTime takes any year from 1 to 9999 in any offset, and converting
    such a time to UTC (to store it) or to +07:00 (to show it) overflows.
    """

    default_error_messages = {
        "invalid": "Thời điểm không hợp lệ; dùng ISO 8601, ví dụ 2025-07-01T08:00:00+07:00.",
        "invalid_awareness": "Thời điểm phải có múi giờ, ví dụ 2025-07-01T08:00:00+07:00.",
        "format": "Thời điểm không hợp lệ.",
        "out_of_range": "Thời điểm nằm ngoài khoảng cho phép (năm 1900 đến 9998).",
    }

    def _deserialize(self, value, attr, data, **kwargs) -> datetime:
        aware = super()._deserialize(value, attr, data, **kwargs)
        try:
            in_utc = aware.astimezone(UTC)
        except OverflowError as exc:
            raise self.make_error("out_of_range") from exc
        if not MIN_TIME <= in_utc <= MAX_TIME:
            raise self.make_error("out_of_range")
        return in_utc
