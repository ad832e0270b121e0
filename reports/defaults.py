"""The city's default report categories, which every ward starts with.

Deadlines are in working days and are the city's suggestion; a ward's staff change them for
their ward. `group` is the Open311 service group, shown as a heading in the category picker.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class DefaultCategory:
    """One default category (the same fields as a ward's ReportCategory row)."""

    code: str
    name: str
    group: str
    deadline_days: int
    description: str


ENVIRONMENT = "Môi trường"
INFRASTRUCTURE = "Hạ tầng đô thị"
ORDER = "Trật tự đô thị"
OTHER = "Khác"

DEFAULT_CATEGORIES: tuple[DefaultCategory, ...] = (
    DefaultCategory(
        "rac_thai",
        "Rác thải, vệ sinh môi trường",
        ENVIRONMENT,
        2,
        "Rác đổ trộm, điểm tập kết rác quá tải, thu gom không đúng giờ, xác động vật.",
    ),
    DefaultCategory(
        "duong_via_he",
        "Đường, vỉa hè hư hỏng",
        INFRASTRUCTURE,
        5,
        "Ổ gà, sụt lún, nắp hố ga hỏng hoặc mất, vỉa hè vỡ, biển báo hư hỏng.",
    ),
    DefaultCategory(
        "chieu_sang",
        "Chiếu sáng công cộng",
        INFRASTRUCTURE,
        3,
        "Đèn đường không sáng, sáng ban ngày, cột đèn nghiêng hoặc hở điện.",
    ),
    DefaultCategory(
        "thoat_nuoc",
        "Thoát nước, ngập úng",
        INFRASTRUCTURE,
        3,
        "Ngập úng sau mưa, cống tắc, rãnh thoát nước bốc mùi hoặc tràn.",
    ),
    DefaultCategory(
        "cay_xanh",
        "Cây xanh",
        ENVIRONMENT,
        3,
        "Cây đổ, gãy cành, cây nghiêng nguy hiểm, cây che khuất đèn hoặc biển báo.",
    ),
    DefaultCategory(
        "lan_chiem_via_he",
        "Lấn chiếm vỉa hè, lòng đường",
        ORDER,
        5,
        "Kinh doanh, để xe, vật liệu xây dựng chiếm vỉa hè hoặc lòng đường.",
    ),
    DefaultCategory(
        "tieng_on",
        "Tiếng ồn",
        ORDER,
        2,
        "Tiếng ồn kéo dài từ công trình, karaoke, cơ sở kinh doanh, nhất là ban đêm.",
    ),
    DefaultCategory(
        "trat_tu_cong_cong",
        "An ninh, trật tự công cộng",
        ORDER,
        2,
        "Tụ tập gây mất trật tự, quảng cáo rao vặt trái phép, dây cáp buông võng.",
    ),
    DefaultCategory(
        "khac", "Khác", OTHER, 5, "Vấn đề khác nơi công cộng thuộc địa bàn phường, xã."
    ),
)
