"""Demo data: chợ 4.0 zones (a digital street, a market) in every pilot ward, with merchants.

Owners are demo citizens of the ward (never its admin or editor); account numbers are made up.
Running it twice changes nothing.
"""

import sqlalchemy as sa

from app.extensions import db
from app.identity.demo import citizens_of, demo_user, staff_sub
from app.text import fold
from miniapps.market import service
from miniapps.market.models import MarketZone, Merchant, Product
from miniapps.market.validation import stall_key

# ward code → [(kind, zone name, location)]
ZONES = {
    "00592": [
        ("street", "Phố Trần Hữu Dực", "Đoạn từ Lê Đức Thọ đến Hồ Tùng Mậu"),
        ("market", "Chợ Phú Diễn", "Số 2 đường Phú Diễn"),
    ],
    "00025": [
        ("street", "Phố Giảng Võ", "Đoạn từ Cát Linh đến Láng Hạ"),
        ("market", "Chợ Thành Công", "Khu tập thể Thành Công"),
    ],
    "00424": [
        ("street", "Phố Núi Đôi", "Trục chính trung tâm xã"),
        ("market", "Chợ Đa Phúc", "Cạnh Ủy ban nhân dân xã"),
    ],
    # Every other pilot ward has one zone too, so that each shows the chợ 4.0 journey.
    "00070": [("street", "Phố Hàng Đào số hóa", "Đoạn từ Cầu Gỗ đến Hàng Ngang")],
    "09661": [("market", "Chợ Minh Châu", "Đầu làng, cạnh bến đò")],
    "00283": [("street", "Phố Minh Khai", "Đoạn từ Kim Ngưu đến Lạc Trung")],
    "00235": [("market", "Chợ Kim Liên", "Ngõ 4B Đặng Văn Ngữ")],
}

# (name, stall, category, opening hours, bank BIN, status, products[(name, price, ocop)])
STREET_MERCHANTS = [
    (
        "Cà phê Mộc",
        "Số 12",
        "Cà phê",
        "6:30–22:00",
        "970436",
        "verified",
        [("Cà phê sữa đá", 30_000, None), ("Bạc xỉu", 35_000, None)],
    ),
    (
        "Tạp hoá Hương Lan",
        "Số 18",
        "Tạp hoá",
        "6:00–22:00",
        "970415",
        "verified",
        [("Nước mắm Cát Hải", 65_000, 4), ("Gạo tám thơm 5 kg", 120_000, None)],
    ),
    (
        "Thời trang Minh Anh",
        "Số 25",
        "May mặc",
        "8:00–21:30",
        "970418",
        "verified",
        [("Áo sơ mi nam", 250_000, None)],
    ),
    (
        "Đặc sản Thái Nguyên",
        "Số 31",
        "Đặc sản, OCOP",
        "7:30–21:00",
        "970405",
        "verified",
        [("Chè Thái Tân Cương 500 g", 180_000, 4), ("Bưởi Diễn", 60_000, 4)],
    ),
    ("Bánh cuốn bà Hoa", "Số 40", "Ăn uống", "6:00–11:00", "970436", "verified", []),
    ("Sửa chữa điện thoại Tuấn", "Số 47", "Dịch vụ", "8:00–20:00", "970418", "pending", []),
]
MARKET_MERCHANTS = [
    (
        "Rau sạch cô Thu",
        "Ki-ốt A12",
        "Rau củ",
        "5:00–18:00",
        "970405",
        "verified",
        [("Rau muống", 10_000, None), ("Cà chua", 25_000, None)],
    ),
    (
        "Thịt lợn sạch Hùng",
        "Ki-ốt B03",
        "Thịt cá",
        "5:00–13:00",
        "970418",
        "verified",
        [("Thịt ba chỉ (1 kg)", 150_000, None)],
    ),
    (
        "Cá tươi Hồ Tây",
        "Ki-ốt B07",
        "Thịt cá",
        "5:00–12:00",
        "970415",
        "verified",
        [("Cá chép (1 kg)", 90_000, None)],
    ),
    (
        "Hoa quả Bưởi Diễn",
        "Ki-ốt C01",
        "Hoa quả, OCOP",
        "6:00–19:00",
        "970436",
        "verified",
        [("Bưởi Diễn", 55_000, 4), ("Cam Canh (1 kg)", 45_000, 3)],
    ),
    (
        "Gạo và ngũ cốc Bình An",
        "Ki-ốt C09",
        "Tạp hoá",
        "6:00–18:00",
        "970405",
        "pending",
        [("Gạo nếp cái hoa vàng (1 kg)", 40_000, None)],
    ),
    ("Quần áo trẻ em Bống", "Ki-ốt D02", "May mặc", "7:00–18:00", "970415", "pending", []),
]


def _zone(ward_code: str, kind: str, name: str, location: str) -> MarketZone:
    """Return the demo zone, creating it once."""
    zone = db.session.scalar(
        sa.select(MarketZone).where(MarketZone.ward_code == ward_code, MarketZone.name == name)
    )
    if zone is None:
        zone = MarketZone(
            ward_code=ward_code, kind=kind, name=name, location=location, search_text=fold(name)
        )
        db.session.add(zone)
        db.session.flush()
    return zone


def load() -> None:
    """Create the pilot wards' demo zones and merchants (idempotent)."""
    for ward_index, (ward_code, zones) in enumerate(ZONES.items()):
        # The first two citizens are the ward's admin and editor; the others own the stalls.
        owners = [demo_user(c.sub) for c in citizens_of(ward_code)[2:]]
        editor = demo_user(staff_sub(ward_code, "ward_editor"))
        for zone_index, (kind, name, location) in enumerate(zones):
            zone = _zone(ward_code, kind, name, location)
            merchants = STREET_MERCHANTS if kind == "street" else MARKET_MERCHANTS
            for index, row in enumerate(merchants):
                number = ward_index * 100 + zone_index * 10 + index
                _merchant(zone, row, owner=owners[index % len(owners)], editor=editor, n=number)


def _merchant(zone: MarketZone, row: tuple, *, owner, editor, n: int) -> None:
    """Create one demo merchant with its products unless it is there already."""
    name, stall, category, hours, bank_bin, status, products = row
    exists = db.session.scalar(
        sa.select(Merchant.id).where(
            Merchant.zone_id == zone.id, Merchant.name == name, Merchant.stall == stall
        )
    )
    if exists is not None:
        return
    verified = status == "verified"
    # Written pending, then verified by the service: the one writer of a verification, which
    # announces it (merchant.verified) as it does for staff.
    merchant = Merchant(
        zone=zone,
        owner_id=owner.id,
        name=name,
        stall=stall,
        category=category,
        opening_hours=hours,
        phone=f"0912{n:06d}",
        bank_bin=bank_bin,
        account_number=f"1903{n:08d}",
        account_name=fold(owner.name or "Chu ho").upper(),
        status="pending",
        etax_supported=verified and n % 2 == 0,
        einvoice_supported=verified and n % 3 == 0,
        sales_software=verified and n % 4 == 0,
        search_text=fold(f"{name} {category}"),
        stall_key=stall_key(stall),
        products=[Product(name=p, price=price, ocop_stars=stars) for p, price, stars in products],
    )
    db.session.add(merchant)
    db.session.flush()
    if verified:
        service.verify_merchant(merchant, staff=editor)
