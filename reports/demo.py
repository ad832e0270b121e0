"""Demo field reports in two pilot wards, in different states; loading twice is harmless."""

import io
from datetime import timedelta

import sqlalchemy as sa
from PIL import Image, ImageDraw

from app.database import utcnow
from app.extensions import db
from app.identity.demo import citizens_of, demo_user, staff_sub
from reports import service
from reports.models import Report

# (ward, reporter index among the ward's demo citizens, category, description, lat, long,
#  address, days ago, steps [(status, note)], stars)
DEMO = (
    (
        "00070",
        3,
        "rac_thai",
        "Rác thải sinh hoạt đổ dồn ở đầu ngõ từ hai hôm nay, bốc mùi khó chịu.",
        21.0291,
        105.8522,
        "Đầu ngõ 12 Hàng Bông",
        6,
        [
            ("acknowledged", "Phường đã nhận và chuyển tổ vệ sinh môi trường."),
            ("resolved", "Đã thu gom sạch, nhắc các hộ đổ rác đúng giờ."),
        ],
        5,
    ),
    (
        "00070",
        4,
        "chieu_sang",
        "Hai bóng đèn đường trước số 30 không sáng, buổi tối rất tối.",
        21.0262,
        105.8549,
        "Trước số 30 Hàng Bài",
        3,
        [("in_progress", "Đã báo công ty chiếu sáng, dự kiến thay bóng trong tuần.")],
        None,
    ),
    (
        "00070",
        5,
        "lan_chiem_via_he",
        "Quán nước bày bàn ghế kín vỉa hè, người đi bộ phải xuống lòng đường.",
        21.0305,
        105.8531,
        None,
        0,
        [],
        None,
    ),
    (
        "00025",
        3,
        "duong_via_he",
        "Ổ gà lớn giữa đường, xe máy dễ ngã khi trời mưa.",
        21.0278,
        105.8190,
        "Phố Giảng Võ, gần ngã tư Cát Linh",
        8,
        [("referred", "Đã chuyển Ban Duy tu các công trình hạ tầng giao thông xử lý.")],
        None,
    ),
    (
        "00025",
        4,
        "thoat_nuoc",
        "Cống tắc, mưa xong nước ngập đến nửa bánh xe.",
        21.0301,
        105.8215,
        "Ngõ 45 Giảng Võ",
        2,
        [("acknowledged", "Phường đã nhận, sẽ cử người kiểm tra.")],
        None,
    ),
)


def _picture() -> bytes:
    image = Image.new("RGB", (800, 600), (120, 140, 120))
    ImageDraw.Draw(image).rectangle((200, 300, 600, 560), fill=(90, 80, 60))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def load() -> None:
    """Create the demo reports unless they exist (a report is known by ward and text)."""
    now = utcnow()
    for ward, who, category, text, lat, long, address, days_ago, steps, stars in DEMO:
        exists = db.session.scalar(
            sa.select(Report.id).where(Report.ward_code == ward, Report.description == text)
        )
        if exists is not None:
            continue
        reporter = demo_user(citizens_of(ward)[who].sub)
        staff = demo_user(staff_sub(ward, "ward_editor"))
        received = now - timedelta(days=days_ago)
        report = service.create_report(
            reporter=reporter,
            ward_code=ward,
            category_code=category,
            description=text,
            lat=lat,
            long=long,
            address=address,
            photos=[_picture()] if days_ago % 2 == 0 else [],
            now=received,
        )
        for step, (status, note) in enumerate(steps, start=1):
            report = service.change_status(
                report=report,
                actor=staff,
                status=status,
                note=note,
                now=received + timedelta(days=step),
            )
        if stars is not None:
            service.rate(report=report, user=reporter, stars=stars, now=now)
