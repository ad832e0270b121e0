"""The appointments' indicators (seed 001, task 12: bookings served on time, satisfaction).

Measured for every ward in one grouped query each, with the definitions of the statistics
(appointments/service/stats.py).
"""

from app.registry import Indicator
from appointments.service.stats import on_time_by_ward, rating_by_ward

INDICATORS = [
    Indicator(
        id="appointments_on_time",
        name="Lịch hẹn được phục vụ đúng giờ",
        description=(
            "Tỷ lệ lịch hẹn được gọi vào quầy trong vòng 15 phút kể từ giờ đã hẹn, trên số lịch "
            "hẹn đã đến và được gọi. Lịch hẹn người dân không đến không tính."
        ),
        target=None,
        unit="ratio",
        measure=on_time_by_ward,
        position=70,
    ),
    Indicator(
        id="appointments_rating",
        name="Mức hài lòng khi làm thủ tục theo lịch hẹn",
        description="Điểm trung bình (1 đến 5 sao) người dân chấm sau khi được phục vụ.",
        target=None,
        unit="average",
        measure=rating_by_ward,
        position=71,
    ),
]
