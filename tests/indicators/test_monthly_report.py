"""The ward's monthly report: a known November 2026 made through the API, the PDF read back
with poppler's pdftotext, each module's lines checked with exact values, and who may download it.
"""

import re
import subprocess
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
import time_machine

from app.extensions import db
from app.fields import LOCAL_TZ
from app.identity import service as identity
from app.identity.demo import citizens_of
from appointments.monthly import monthly_figures as appointment_figures
from community.monthly import monthly_figures as community_figures
from community.polls.monthly import monthly_figures as poll_figures
from miniapps.market.monthly import monthly_figures as market_figures
from reports.monthly import monthly_figures as report_figures
from tests.appointments.conftest import Hall, service_body
from tests.conftest import grant
from tests.reports.conftest import report_body

WARD = "00070"  # Phường Hoàn Kiếm
OTHER_WARD = "00025"  # Phường Giảng Võ
NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))
# The report is asked for on Wednesday 2 December 2026, 09:00 in Hà Nội.
REPORT_TIME = datetime(2026, 12, 2, 9, 0, tzinfo=LOCAL_TZ)


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    """Return a local time of 2026 (November unless said)."""
    return datetime(2026, month, day, hour, minute, tzinfo=LOCAL_TZ)


@dataclass
class Person:
    id: int
    sub: str
    headers: dict


@pytest.fixture(autouse=True)
def lasting_tokens(monkeypatch):
    """Bearer tokens that outlive the clock's moves across the month."""
    monkeypatch.setattr(identity, "TOKEN_LIFETIME", timedelta(days=120))


@pytest.fixture
def clock():
    """Freeze the clock on Saturday 31 October 2026, 20:00 in Hà Nội; `clock.move_to` moves it."""
    with time_machine.travel(at(31, 20, month=10), tick=False) as traveller:
        yield traveller


def person(app, sub: str, name: str | None = None) -> Person:
    """Sign a person in through the identity service; return them with a bearer token."""
    with app.app_context():
        claims = {"sub": sub, "vneid_level": 2}
        if name:
            claims["name"] = name
        user = identity.sign_in(provider=identity.MOCK_PROVIDER, claims=claims)
        token, _ = identity.issue_token(user)
        db.session.commit()
        return Person(user.id, sub, {"Authorization": f"Bearer {token}"})


def ok(response, status: int = 200) -> dict:
    """Assert the status and return the JSON body."""
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()


@dataclass
class Month:
    staff: Person
    residents: list[Person]
    notice_id: int


@pytest.fixture
def november(app, client, clock):
    """Build November 2026 in Hoàn Kiếm through the API, with snapshots on 1 and 30 November.

    Notices: 1 sent in November to a community of 4 (3 reads). Members: 1 joined the evening
    before, 3 in November, 1 at 00:30 on 1 December (the 30th in UTC). A community poll opened
    on the 5th, closed by its time on the 20th: 3 ballots of 4 eligible. Reports: 3 received, 2
    closed (1 on time, 1 late), 1 open past due; stars 5 and 3. Appointments on Monday the 16th:
    2 bookings, 1 served on time, 1 no-show, 1 walk-in served; 4 stars. Merchants: 1 verified in
    October, 1 in November, 1 registered and not verified.
    """
    staff_sub = citizens_of(WARD)[0].sub
    grant(app, staff_sub, "ward_editor", ward=WARD)
    staff = person(app, staff_sub)
    residents = [person(app, f"cu-dan-{i}", f"Cư dân {i}") for i in range(6)]

    def post(who: Person, url: str, json=None, status: int = 201) -> dict:
        return ok(client.post(url, json=json or {}, headers=who.headers), status)

    # Saturday 31 October: a community, its first member, two merchants (one verified).
    community = post(
        staff,
        f"/api/v1/wards/{WARD}/communities",
        {"name": "Tổ dân phố số 1", "kind": "to_dan_pho"},
    )
    join = f"/api/v1/communities/{community['id']}/join"
    code = {"invite_code": community["invite_code"]}
    clock.move_to(at(31, 23, 30, month=10))
    post(residents[0], join, code, status=200)
    zone = post(staff, f"/api/v1/wards/{WARD}/market-zones", {"name": "Phố sách", "kind": "street"})
    merchants = [
        post(
            residents[i],
            f"/api/v1/market-zones/{zone['id']}/merchants",
            {
                "name": f"Nhà sách {i}",
                "stall": f"Số {i}",
                "bank_bin": "970436",
                "account_number": f"00110{i}2345678",
                "account_name": "NGUYEN VAN A",
            },
        )
        for i in range(2)
    ]
    post(staff, f"/api/v1/merchants/{merchants[0]['id']}/verify", status=200)

    clock.move_to(at(1, 8))
    assert app.test_cli_runner().invoke(args=["kpi", "snapshot"]).exit_code == 0

    # Monday 2 November: three more members, a leader, two field reports.
    clock.move_to(at(2, 9))
    for resident in residents[1:4]:
        post(resident, join, code, status=200)
    post(staff, f"/api/v1/communities/{community['id']}/leaders", {"sub": residents[0].sub})
    reports = [post(residents[i], "/api/v1/reports", report_body()) for i in (0, 1)]
    # Tuesday 3: a notice to the community (its 4 members), the first report closed on time.
    clock.move_to(at(3, 10))
    notice = post(
        staff,
        "/api/v1/notices",
        {
            "title": "Lịch tổng vệ sinh tháng 11",
            "body": "Tổng vệ sinh ngõ phố sáng Chủ nhật.",
            "ward": WARD,
            "community_ids": [community["id"]],
            "category": "moi_truong",
        },
    )
    status = {"status": "resolved", "note": "Đã thu gom."}
    post(staff, f"/api/v1/reports/{reports[0]['id']}/status", status, status=200)
    for resident in residents[:2]:
        post(resident, f"/api/v1/notices/{notice['id']}/read", status=200)
    post(residents[0], f"/api/v1/reports/{reports[0]['id']}/rating", {"stars": 5})
    # Thursday 5: a poll of the community opens until the 20th.
    clock.move_to(at(5, 8))
    poll = post(
        staff,
        "/api/v1/polls",
        {
            "title": "Biểu quyết lắp đèn ngõ",
            "kind": "vote",
            "community_id": community["id"],
            "questions": [{"text": "Đồng ý lắp đèn?", "options": ["Đồng ý", "Không đồng ý"]}],
            "closes_at": at(20, 17).isoformat(),
            "results_visibility": "always",
        },
    )
    poll = post(staff, f"/api/v1/polls/{poll['id']}/open", status=200)
    option = poll["questions"][0]["options"][0]["id"]
    question = poll["questions"][0]["id"]
    for resident in residents[:3]:
        post(
            resident,
            f"/api/v1/polls/{poll['id']}/ballots",
            {"answers": [{"question": question, "options": [option]}]},
        )
    # Monday 9: a third report (due in two working days, never closed).
    clock.move_to(at(9, 9))
    post(residents[2], "/api/v1/reports", report_body())
    # Tuesday 10: the second merchant verified; Thursday 12: a third registers.
    clock.move_to(at(10, 9))
    post(staff, f"/api/v1/merchants/{merchants[1]['id']}/verify", status=200)
    clock.move_to(at(12, 9))
    post(
        residents[2],
        f"/api/v1/market-zones/{zone['id']}/merchants",
        {
            "name": "Nhà sách 2",
            "stall": "Số 2",
            "bank_bin": "970436",
            "account_number": "001102345678",
            "account_name": "NGUYEN VAN B",
        },
    )
    # Friday 13: two bookings for Monday 16 at 08:00 and 08:15.
    clock.move_to(at(13, 9))
    service = post(staff, f"/api/v1/wards/{WARD}/booking-services", service_body())
    bookings = [
        post(
            resident,
            "/api/v1/appointments",
            {"service_id": service["id"], "start": at(16, 8, minute).isoformat()},
        )
        for resident, minute in ((residents[0], 0), (residents[1], 15))
    ]
    # Monday 16: the first checks in and is called on time; a walk-in; the second never comes.
    hall = Hall(client, staff.headers)
    clock.move_to(at(16, 7, 50))
    hall.checked_in(bookings[0]["code"])
    clock.move_to(at(16, 8, 5))
    hall.done(hall.called(1))
    post(residents[0], f"/api/v1/appointments/{bookings[0]['id']}/rating", {"stars": 4})
    clock.move_to(at(16, 8, 20))
    hall.issued(service)
    hall.done(hall.called(1))
    # Friday 27: the second report closed, late; rated 3 stars.
    clock.move_to(at(27, 15))
    post(staff, f"/api/v1/reports/{reports[1]['id']}/status", status, status=200)
    post(residents[1], f"/api/v1/reports/{reports[1]['id']}/rating", {"stars": 3})

    clock.move_to(at(30, 20))
    assert app.test_cli_runner().invoke(args=["kpi", "snapshot"]).exit_code == 0

    # Tuesday 1 December, 00:30 in Hà Nội (still 30 November in UTC): a member and a read that
    # belong to December's report (the read counts for the November notice: reads so far).
    clock.move_to(at(1, 0, 30, month=12))
    post(residents[4], join, code, status=200)
    post(residents[2], f"/api/v1/notices/{notice['id']}/read", status=200)
    clock.move_to(REPORT_TIME)
    return Month(staff=staff, residents=residents, notice_id=notice["id"])


def pdf_text(data: bytes, tmp_path) -> str:
    """Read a PDF back as text with poppler's pdftotext, keeping the layout."""
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    done = subprocess.run(
        ["/usr/bin/pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
    )
    return done.stdout.decode("utf-8")


def figure(text: str, label: str) -> str:
    """Return the value printed beside a label in the report's tables."""
    for line in text.splitlines():
        if line.strip().startswith(label):
            return re.split(r"\s{2,}", line.strip())[-1]
    raise AssertionError(f"{label!r} not in the report:\n{text}")


def row_after(text: str, name: str) -> str:
    """Return the figures row printed under an indicator's name, spaces folded."""
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    index = next(i for i, line in enumerate(lines) if line.endswith(name))
    return lines[index + 1]


def download(client, headers, ward: str = "hoan-kiem", month: str = "2026-11"):
    """Ask for the monthly report."""
    return client.get(f"/api/v1/kpi/report.pdf?ward={ward}&month={month}", headers=headers)


def test_the_report_of_a_known_month(client, november, tmp_path):
    """The PDF names the ward and month, lists the indicators and each module's exact figures."""
    response = download(client, november.staff.headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == "application/pdf"
    assert (
        response.headers["Content-Disposition"]
        == 'attachment; filename="bao-cao-hoan-kiem-2026-11.pdf"'
    )
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.data.startswith(b"%PDF-")
    assert b"/FontFile2" in response.data and b"DejaVuSans" in response.data

    text = pdf_text(response.data, tmp_path)
    flat = " ".join(text.split())
    assert "Báo cáo kết quả chuyển đổi số tháng 11/2026 – Phường Hoàn Kiếm" in flat
    assert "Đơn vị: Phường Hoàn Kiếm (mã 00070)" in flat
    assert "Kỳ báo cáo: từ 01/11/2026 đến 30/11/2026" in flat
    assert "Lập lúc: 09:00 ngày 02/12/2026 (giờ Hà Nội)" in flat
    assert "Số liệu trích xuất tự động từ hệ thống Phường Xã Số, không nhập tay." in flat
    for name in (
        "Tổ dân phố, thôn có cộng đồng số đang vận hành",
        "Thông báo chính thống đến được người dân qua ứng dụng",
        "Hộ kinh doanh chợ 4.0 có mã QR thanh toán",
        "Phản ánh hiện trường được xử lý đúng hạn",
        "Mức hài lòng của người dân",
    ):
        assert name in flat
    # 1 of 2 merchants verified on 1 November, 2 of 3 on the 30th; the trend cannot reach 100 %
    # by the end of 2026.
    assert (
        row_after(text, "Hộ kinh doanh chợ 4.0 có mã QR thanh toán")
        == "50 % 66,7 % +16,7 điểm % 100 % Có nguy cơ không đạt"
    )

    expected = {
        "Thông báo đã gửi trong tháng": "1",
        "Lượt người nhận (chốt lúc đăng)": "4",
        "Lượt đã đọc": "3",
        "Tỷ lệ đã đọc (mức độ tiếp cận)": "75 %",
        "Thành viên mới của các cộng đồng": "3",
        "Cộng đồng đang vận hành hiện nay (có trưởng nhóm, từ 3 thành viên)": "1",
        "Cuộc biểu quyết, khảo sát mở trong tháng": "1",
        "Cuộc đã đóng trong tháng": "1",
        "Phiếu đã bỏ (các cuộc đã đóng)": "3",
        "Tỷ lệ tham gia (phiếu ÷ người đủ quyền)": "75 %",
        "Phản ánh tiếp nhận trong tháng": "3",
        "Phản ánh đã đóng trong tháng": "2",
        "Tỷ lệ đóng đúng hạn (trong số đã đóng)": "50 %",
        "Phản ánh quá hạn chưa đóng (cuối kỳ)": "1",
        "Lượt đặt lịch": "2",
        "Lượt đã phục vụ": "2",
        "Lượt vắng mặt": "1",
        "Số thứ tự lấy trực tiếp tại quầy": "1",
        "Tỷ lệ gọi đúng giờ hẹn (trong 15 phút)": "100 %",
        "Hộ kinh doanh đã xác minh, có mã QR thanh toán": "2",
        "Trong đó xác minh mới trong tháng": "1",
    }
    assert {label: figure(text, label) for label in expected} == expected
    # The same label in two sections: the reports' stars come first, then the appointments'.
    stars = [
        re.split(r"\s{2,}", line.strip())[-1]
        for line in text.splitlines()
        if line.strip().startswith("Điểm hài lòng trung bình (1–5 sao)")
    ]
    assert stars == ["4", "4"]
    sections = [
        "1. Thông báo",
        "2. Cộng đồng số",
        "3. Biểu quyết, khảo sát",
        "4. Chợ 4.0",
        "5. Phản ánh hiện trường",
        "6. Đặt lịch, lấy số",
    ]
    positions = [re.search(rf"^\s*{re.escape(s)}\s*$", text, re.M).start() for s in sections]
    assert positions == sorted(positions)


def test_each_module_counts_its_month(app, november):
    """Each module's function gives its exact lines for November (local days, not UTC)."""

    def values(produce):
        with app.app_context():
            return {f.label: f.value for f in produce(WARD, *NOVEMBER)}

    assert values(community_figures) == {
        "Thông báo đã gửi trong tháng": 1,
        "Lượt người nhận (chốt lúc đăng)": 4,
        "Lượt đã đọc": 3,
        "Tỷ lệ đã đọc (mức độ tiếp cận)": 0.75,
        "Thành viên mới của các cộng đồng": 3,
        "Cộng đồng đang vận hành hiện nay (có trưởng nhóm, từ 3 thành viên)": 1,
    }
    assert values(poll_figures) == {
        "Cuộc biểu quyết, khảo sát mở trong tháng": 1,
        "Cuộc đã đóng trong tháng": 1,
        "Phiếu đã bỏ (các cuộc đã đóng)": 3,
        "Người (hộ) đủ quyền bỏ phiếu": 4,
        "Tỷ lệ tham gia (phiếu ÷ người đủ quyền)": 0.75,
    }
    assert values(report_figures) == {
        "Phản ánh tiếp nhận trong tháng": 3,
        "Phản ánh đã đóng trong tháng": 2,
        "Trong đó đóng đúng hạn": 1,
        "Tỷ lệ đóng đúng hạn (trong số đã đóng)": 0.5,
        "Phản ánh quá hạn chưa đóng (cuối kỳ)": 1,
        "Lượt chấm điểm trong tháng": 2,
        "Điểm hài lòng trung bình (1–5 sao)": 4.0,
    }
    assert values(appointment_figures) == {
        "Lượt đặt lịch": 2,
        "Trong đó đã hủy": 0,
        "Lượt đã phục vụ": 2,
        "Lượt vắng mặt": 1,
        "Số thứ tự lấy trực tiếp tại quầy": 1,
        "Tỷ lệ gọi đúng giờ hẹn (trong 15 phút)": 1.0,
        "Điểm hài lòng trung bình (1–5 sao)": 4.0,
    }
    assert values(market_figures) == {
        "Hộ kinh doanh đã xác minh, có mã QR thanh toán": 2,
        "Trong đó xác minh mới trong tháng": 1,
    }

    # December so far: the member who joined at 00:30 on the 1st, nothing else of November.
    with app.app_context():
        december = {
            f.label: f.value for f in community_figures(WARD, date(2026, 12, 1), date(2026, 12, 31))
        }
    assert december["Thành viên mới của các cộng đồng"] == 1
    assert december["Thông báo đã gửi trong tháng"] == 0
    assert december["Tỷ lệ đã đọc (mức độ tiếp cận)"] is None


def test_an_empty_month_has_no_shares(app, clock):
    """A month without activity counts zeros and leaves shares and averages empty (None)."""
    clock.move_to(REPORT_TIME)
    with app.app_context():
        lines = [
            f
            for produce in (
                community_figures,
                poll_figures,
                report_figures,
                appointment_figures,
                market_figures,
            )
            for f in produce(WARD, *NOVEMBER)
        ]
    for line in lines:
        assert line.value == (None if line.unit in ("ratio", "average") else 0), line


def test_the_month_under_way_shows_todays_values(app, client, clock, tmp_path):
    """In the month under way the report says so and the end values are those of now."""
    clock.move_to(REPORT_TIME)
    admin = person(app, citizens_of(WARD)[1].sub)
    grant(app, admin.sub, "city_admin")
    response = download(client, admin.headers, ward=WARD, month="2026-12")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Disposition"].endswith('"bao-cao-hoan-kiem-2026-12.pdf"')
    flat = " ".join(pdf_text(response.data, tmp_path).split())
    assert "Báo cáo kết quả chuyển đổi số tháng 12/2026 – Phường Hoàn Kiếm" in flat
    assert "(tháng đang diễn ra)" in flat
    assert "cuối tháng: giá trị tại thời điểm lập báo cáo" in flat


def test_who_may_download_it(app, client, clock):
    """That ward's staff and city admins; anyone else 403, anonymous 401, unknown ward 404."""
    clock.move_to(REPORT_TIME)
    staff = person(app, citizens_of(WARD)[0].sub)
    grant(app, staff.sub, "ward_admin", ward=WARD)
    other = person(app, citizens_of(OTHER_WARD)[0].sub)
    grant(app, other.sub, "ward_admin", ward=OTHER_WARD)
    resident = person(app, "cu-dan-thuong")

    anonymous = download(client, {})
    assert anonymous.status_code == 401
    assert anonymous.get_json()["error"]["code"] == "unauthorized"
    for who in (other, resident):
        refused = download(client, who.headers)
        assert refused.status_code == 403
        assert "báo cáo tháng" in refused.get_json()["error"]["message"]
    assert download(client, staff.headers).status_code == 200
    assert download(client, staff.headers, ward=WARD).status_code == 200
    assert download(client, other.headers, ward="giang-vo").status_code == 200
    assert download(client, staff.headers, ward="khong-co").status_code == 404


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("ward=hoan-kiem&month=2026-13", "YYYY-MM"),
        ("ward=hoan-kiem&month=11/2026", "YYYY-MM"),
        ("ward=hoan-kiem&month=0000-01", "YYYY-MM"),
        ("ward=hoan-kiem&month=２０２６-07", "YYYY-MM"),
        ("ward=hoan-kiem&month=2025-06", "từ tháng 07/2025"),
        ("ward=hoan-kiem&month=2027-01", "chưa tới"),
        ("ward=hoan-kiem", "bắt buộc"),
    ],
)
def test_a_bad_month_is_422_in_vietnamese(app, client, clock, query, message):
    """A month not written YYYY-MM, before the wards were formed, in the future, or missing."""
    clock.move_to(REPORT_TIME)
    staff = person(app, citizens_of(WARD)[0].sub)
    grant(app, staff.sub, "ward_admin", ward=WARD)
    response = client.get(f"/api/v1/kpi/report.pdf?{query}", headers=staff.headers)
    assert response.status_code == 422
    errors = {e["field"]: e for e in response.get_json()["error"]["details"]["errors"]}
    assert errors["month"]["label"] == "Tháng"
    assert message in errors["month"]["message"]


def test_the_first_month_and_the_current_one_are_accepted(app, client, clock):
    """2025-07, the wards' first month, and the current month are both reports."""
    clock.move_to(REPORT_TIME)
    staff = person(app, citizens_of(WARD)[0].sub)
    grant(app, staff.sub, "ward_admin", ward=WARD)
    for month in ("2025-07", "2026-12"):
        assert download(client, staff.headers, month=month).status_code == 200


def test_the_openapi_documents_a_pdf(client):
    """The endpoint is in the OpenAPI with its two required query arguments and a PDF body."""
    spec = client.get("/api/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/kpi/report.pdf"]["get"]
    assert "application/pdf" in operation["responses"]["200"]["content"]
    required = {p["name"] for p in operation["parameters"] if p.get("required")}
    assert required == {"ward", "month"}
