"""What a booking gives its holder: a QR ticket holding its code, and a calendar file."""

import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import icalendar

from app.fields import LOCAL_TZ
from tests.appointments.conftest import booked, local


def _decode_qr(png: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "ve.png"
    path.write_bytes(png)
    result = subprocess.run(
        ["/usr/bin/zbarimg", "--quiet", "--raw", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def _calendar(client, appointment: dict, headers: dict) -> icalendar.Calendar:
    response = client.get(f"/api/v1/appointments/{appointment['id']}/calendar.ics", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/calendar"
    return icalendar.Calendar.from_ical(response.get_data())


def _event(calendar: icalendar.Calendar) -> icalendar.Event:
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return events[0]


def test_ticket_png_holds_exactly_the_code(client, make_service, make_residents, tmp_path):
    service = make_service()
    (resident,) = make_residents(1)
    made = booked(client, resident, service, local(7, 8))
    response = client.get(made["ticket_url"], headers=resident.headers)
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.get_data()[:8] == b"\x89PNG\r\n\x1a\n"
    assert _decode_qr(response.get_data(), tmp_path) == [made["code"]]


def test_calendar_file_describes_the_slot(client, make_service, make_residents):
    """One VEVENT: stable UID, the slot in Hà Nội time, the service, the place, a reminder."""
    service = make_service(name="Đăng ký khai sinh")
    (resident,) = make_residents(1)
    made = booked(client, resident, service, local(8, 9, 30))
    calendar = _calendar(client, made, resident.headers)
    event = _event(calendar)

    assert str(event["UID"]) == f"appointment-{made['id']}-{made['code'].lower()}@phuong-xa-so"
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start == datetime(2026, 12, 8, 9, 30, tzinfo=LOCAL_TZ)
    assert end == datetime(2026, 12, 8, 9, 45, tzinfo=LOCAL_TZ)
    assert event["DTSTART"].params["TZID"] == "Asia/Ho_Chi_Minh"
    assert start.utcoffset() == timedelta(hours=7)
    assert "DTSTAMP" in event
    assert "Đăng ký khai sinh" in str(event["SUMMARY"])
    assert str(event["LOCATION"]) == "Bộ phận một cửa, 126 Hàng Trống"
    assert str(event["STATUS"]) == "CONFIRMED"
    timezones = calendar.walk("VTIMEZONE")
    assert [str(tz["TZID"]) for tz in timezones] == ["Asia/Ho_Chi_Minh"]

    alarms = event.walk("VALARM")
    assert len(alarms) == 1
    trigger = alarms[0].decoded("TRIGGER")
    assert isinstance(trigger, timedelta) and trigger < timedelta(0)
    assert trigger == -timedelta(hours=1)


def test_calendar_file_follows_a_cancellation(client, clock, make_service, make_residents):
    """A later download keeps the UID; after cancelling, SEQUENCE is higher and STATUS cancelled."""
    service = make_service()
    (resident,) = make_residents(1)
    made = booked(client, resident, service, local(9, 8))
    before = _event(_calendar(client, made, resident.headers))
    clock.shift(timedelta(hours=3))
    again = _event(_calendar(client, made, resident.headers))
    assert again["UID"] == before["UID"]
    assert again.decoded("SEQUENCE") == before.decoded("SEQUENCE")
    # DTSTAMP is when the file was made; LAST-MODIFIED, when the booking last changed.
    assert again.decoded("DTSTAMP") > before.decoded("DTSTAMP")
    assert again.decoded("LAST-MODIFIED") == before.decoded("LAST-MODIFIED")

    url = f"/api/v1/appointments/{made['id']}"
    assert client.delete(url, headers=resident.headers).status_code == 200
    after = _event(_calendar(client, made, resident.headers))
    assert after["UID"] == before["UID"]
    assert after.decoded("SEQUENCE") > before.decoded("SEQUENCE")
    assert str(after["STATUS"]) == "CANCELLED"
    assert after.decoded("LAST-MODIFIED") > before.decoded("LAST-MODIFIED")
    assert after.decoded("DTSTART") == datetime(2026, 12, 9, 8, tzinfo=LOCAL_TZ)


def test_calendar_sequence_rises_with_every_status_change(
    client, clock, hall, make_service, make_residents
):
    """Checked in, called, done: each is a change of status, each raises SEQUENCE (ADR 0018)."""
    service = make_service()
    (resident,) = make_residents(1)
    made = booked(client, resident, service, local(7, 8))
    sequences = [_event(_calendar(client, made, resident.headers)).decoded("SEQUENCE")]
    clock.shift(timedelta(minutes=50))
    ticket = hall.checked_in(made["code"])
    sequences.append(_event(_calendar(client, made, resident.headers)).decoded("SEQUENCE"))
    hall.called(1, service)
    sequences.append(_event(_calendar(client, made, resident.headers)).decoded("SEQUENCE"))
    hall.done(ticket)
    sequences.append(_event(_calendar(client, made, resident.headers)).decoded("SEQUENCE"))
    assert sequences == sorted(set(sequences)), sequences  # strictly rising
