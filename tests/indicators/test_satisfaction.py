"""`satisfaction`: the stars of field reports and of appointments, averaged together."""

from datetime import datetime, timedelta

import time_machine

from app.extensions import db
from app.fields import LOCAL_TZ
from app.identity import service as identity
from appointments import service as appointments
from reports import service as reports
from tests.indicators.test_kpi import WARD, indicators_of

MONDAY = datetime(2026, 12, 7, 7, 0, tzinfo=LOCAL_TZ)
HOURS = [{"weekday": 1, "start": 7 * 60 + 30, "end": 11 * 60 + 30}]


def _person(sub: str):
    return identity.sign_in(provider=identity.MOCK_PROVIDER, claims={"sub": sub, "name": sub})


def test_satisfaction_averages_the_stars_of_both_modules(app, client):
    with time_machine.travel(MONDAY, tick=False), app.app_context():
        staff = _person("can-bo")
        # A field report resolved and rated 2 stars.
        reporter = _person("nguoi-phan-anh")
        report = reports.create_report(
            reporter=reporter,
            ward_code=WARD,
            category_code="rac_thai",
            description="Rác ở đầu ngõ.",
            lat=21.0288,
            long=105.8522,
            address=None,
            photos=[],
        )
        reports.change_status(report=report, actor=staff, status="resolved", note="Đã thu gom.")
        reports.rate(report=report, user=reporter, stars=2)
        # Two appointments served and rated 5 and 4 stars.
        service = appointments.create_service(
            ward_code=WARD, name="Hộ tịch", duration_minutes=15, capacity=2, hours=HOURS
        )
        slot = appointments.open_slots(service, MONDAY.date())[0]
        for n, stars in enumerate((5, 4)):
            holder = _person(f"nguoi-hen-{n}")
            made = appointments.book(service=service, user=holder, start=slot.start)
            appointments.check_in(ward_code=WARD, code=made.code)
            ticket = appointments.call_next(ward_code=WARD, counter=1, service=service)
            appointments.finish(ticket=ticket, now=MONDAY + timedelta(minutes=5))
            appointments.rate(appointment=made, user=holder, stars=stars)
        db.session.commit()
    found = indicators_of(client)
    assert (
        found["field_reports_rating"]["numerator"],
        found["field_reports_rating"]["denominator"],
    ) == (2, 1)
    assert (
        found["appointments_rating"]["numerator"],
        found["appointments_rating"]["denominator"],
    ) == (9, 2)
    satisfaction = found["satisfaction"]
    assert (satisfaction["numerator"], satisfaction["denominator"]) == (11, 3)
    assert satisfaction["value"] == round(11 / 3, 2)
    assert satisfaction["unit"] == "average" and satisfaction["status"] == "info"
