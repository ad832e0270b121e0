"""The one datetime field of the API: shown in Asia/Ho_Chi_Minh, loaded as aware UTC."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from marshmallow import Schema, ValidationError

from app.fields import LocalDateTime


class When(Schema):
    at = LocalDateTime(allow_none=True)


def test_dumps_any_aware_time_in_hanoi_time():
    for tz in (UTC, timezone(timedelta(hours=-5)), timezone(timedelta(hours=9))):
        moment = datetime(2025, 7, 1, 1, 0, tzinfo=UTC).astimezone(tz)
        assert When().dump({"at": moment})["at"] == "2025-07-01T08:00:00+07:00"


def test_dumps_a_naive_stored_time_as_utc():
    assert When().dump({"at": datetime(2025, 7, 1, 1, 0)})["at"] == "2025-07-01T08:00:00+07:00"


def test_dumps_none_as_null():
    assert When().dump({"at": None}) == {"at": None}


def test_loads_a_time_with_offset_as_utc():
    loaded = When().load({"at": "2025-07-01T08:00:00+07:00"})["at"]
    assert loaded == datetime(2025, 7, 1, 1, 0, tzinfo=UTC)
    assert loaded.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2025-07-01T08:00:00", "Thời điểm phải có múi giờ"),
        ("hôm qua", "Thời điểm không hợp lệ"),
        ("9999-12-31T20:00:00+00:00", "Thời điểm nằm ngoài khoảng"),
        ("0001-01-01T00:00:00+07:00", "Thời điểm nằm ngoài khoảng"),
    ],
)
def test_refuses_times_without_offset_or_out_of_range(value, message):
    with pytest.raises(ValidationError) as raised:
        When().load({"at": value})
    assert raised.value.messages["at"][0].startswith(message)
