"""Demo communities, leaders, members, followers and a week of notices in the pilot wards,
and each pilot ward's registry of tổ dân phố or thôn, its residential communities linked.

Idempotent: communities are found by (ward, name), registry groups by their name key and
notices by (ward, title) before anything is created, links are made only where missing, and
memberships, follows and reads are inserted only when missing.
"""

from datetime import timedelta

import sqlalchemy as sa

from app.database import utcnow
from app.extensions import db
from app.identity import demo as people
from app.wards import service as wards
from community.groups import registry
from community.groups import service as groups
from community.groups.models import Community, ResidentialGroup
from community.notices import service as notices
from community.notices.models import Notice

DEMO_WARDS = ("00070", "00025", "00592", "00424", "09661")
RURAL_WARDS = {"00424", "09661"}  # xã: their residential groups are thôn

# (name, kind, indexes of the ward's demo citizens who are members); the first member leads
# and, where there is a fourth member, they are the deputy.
URBAN_GROUPS = [
    ("Tổ dân phố số 1", "to_dan_pho", [2, 4, 6, 7]),
    ("Tổ dân phố số 2", "to_dan_pho", [3, 5]),
    ("Chi bộ Tổ dân phố số 1", "chi_bo", [4, 2, 7]),
    ("Chi hội Phụ nữ", "chi_hoi", [5, 6, 3]),
    ("Chi hội Cựu chiến binh", "chi_hoi", [6, 7]),
]
RURAL_GROUPS = [
    ("Thôn Đông", "thon", [2, 4, 6, 7]),
    ("Thôn Đoài", "thon", [3, 5]),
    ("Chi bộ thôn Đông", "chi_bo", [4, 2, 7]),
    ("Chi hội Phụ nữ", "chi_hoi", [5, 6, 3]),
    ("Chi hội Cựu chiến binh", "chi_hoi", [6, 7]),
]

# Each pilot ward's registry: (name, households). A phường lists tổ dân phố, a xã thôn; the
# demo communities of the same name are linked, so the indicator starts at 1 of 5 active.
URBAN_REGISTRY = [
    ("Tổ dân phố số 1", 186),
    ("Tổ dân phố số 2", 142),
    ("Tổ dân phố số 3", 205),
    ("Tổ dân phố số 4", 98),
    ("Tổ dân phố số 5", 163),
]
RURAL_REGISTRY = [
    ("Thôn Đông", 312),
    ("Thôn Đoài", 274),
    ("Thôn Nam", 198),
    ("Thôn Bắc", 231),
    ("Thôn Trung", 156),
]

# (days ago, title, body, category, priority, pinned, group index or None for ward-wide, author)
# author: "admin", "editor" or "leader" (the leader of the group).
NOTICES = [
    (
        6,
        "Lịch tiêm chủng mở rộng tháng này",
        "Trạm y tế tổ chức tiêm chủng mở rộng cho trẻ dưới 5 tuổi vào sáng thứ Bảy, "
        "từ 7 giờ 30 đến 11 giờ. Phụ huynh mang theo sổ tiêm chủng.",
        "y_te",
        "normal",
        False,
        None,
        "editor",
    ),
    (
        5,
        "Thu gom rác thải cồng kềnh cuối tuần",
        "Đề nghị các hộ gia đình tập kết rác thải cồng kềnh (bàn ghế, tủ cũ) tại điểm quy định "
        "trước 20 giờ thứ Sáu. Không để rác ra lòng đường, vỉa hè.",
        "moi_truong",
        "normal",
        False,
        None,
        "editor",
    ),
    (
        4,
        "Họp tổ quý IV",
        "Mời đại diện các hộ gia đình dự họp tổ lúc 19 giờ 30 tối Chủ nhật tại nhà văn hóa. "
        "Nội dung: tổng kết quý IV, bình xét gia đình văn hóa.",
        "thong_tin_co_so",
        "normal",
        False,
        0,
        "leader",
    ),
    (
        3,
        "Cảnh giác lừa đảo qua điện thoại và mạng xã hội",
        "Công an phường, xã khuyến cáo: không cung cấp mã OTP, không chuyển tiền theo yêu cầu "
        "của người lạ tự xưng cán bộ. Khi nghi ngờ, gọi ngay số 113.",
        "an_ninh_trat_tu",
        "normal",
        True,
        None,
        "admin",
    ),
    (
        2,
        "Cảnh báo mưa lớn, nguy cơ ngập úng cục bộ",
        "Dự báo mưa lớn trong 48 giờ tới. Các hộ gia đình chủ động kê cao đồ đạc, không đi qua "
        "khu vực ngập sâu, theo dõi thông báo của Ban Chỉ huy phòng chống thiên tai.",
        "phong_chong_thien_tai",
        "urgent",
        False,
        None,
        "admin",
    ),
    (
        1,
        "Lớp hướng dẫn kỹ năng số cho người cao tuổi",
        "Tổ công nghệ số cộng đồng mở lớp hướng dẫn cài đặt VNeID và iHanoi vào chiều thứ Tư "
        "tại nhà văn hóa. Xem hướng dẫn thêm tại https://ihanoi.hanoi.gov.vn",
        "giao_duc",
        "normal",
        False,
        None,
        "editor",
    ),
    (
        1,
        "Lấy ý kiến dự thảo quy ước của tổ",
        "Ban điều hành đề nghị các thành viên góp ý dự thảo quy ước về giữ gìn vệ sinh chung "
        "và giờ giấc sinh hoạt trước ngày 30.",
        "phap_luat",
        "normal",
        False,
        1,
        "leader",
    ),
    (
        0,
        "Hội diễn văn nghệ chào mừng ngày Hội Đại đoàn kết toàn dân tộc",
        "Chi hội mời hội viên tham gia tập luyện văn nghệ vào tối thứ Ba và thứ Năm hằng tuần.",
        "van_hoa",
        "normal",
        False,
        3,
        "leader",
    ),
]


def _community(ward_code: str, name: str, kind: str, admin) -> Community:
    found = db.session.scalar(
        sa.select(Community).where(Community.ward_code == ward_code, Community.name == name)
    )
    return found or groups.create(ward_code=ward_code, name=name, kind=kind, created_by=admin)


def load_registries() -> None:
    """Give each pilot ward its registry and link its residential communities (idempotent)."""
    for ward_code in people.PILOT_WARDS:
        rural = wards.get(ward_code).type == "xa"
        kind = "thon" if rural else "to_dan_pho"
        for name, households in RURAL_REGISTRY if rural else URBAN_REGISTRY:
            group = db.session.scalar(
                sa.select(ResidentialGroup).where(
                    ResidentialGroup.ward_code == ward_code,
                    ResidentialGroup.name_key == registry.name_key(name),
                )
            ) or registry.create(ward_code=ward_code, name=name, kind=kind, households=households)
            community = db.session.scalar(
                sa.select(Community).where(
                    Community.ward_code == ward_code, Community.name == name, Community.kind == kind
                )
            )
            if (
                community is not None
                and community.residential_group_id is None
                and registry.community_of(group) is None
            ):
                registry.update(group, {"community_id": community.id})


def load() -> None:
    """Create the demo communities, notices and registries of the pilot wards (idempotent)."""
    now = utcnow()
    for ward_code in DEMO_WARDS:
        citizens = people.citizens_of(ward_code)
        users = [people.demo_user(c.sub) for c in citizens]
        admin, editor = users[0], users[1]
        plan = RURAL_GROUPS if ward_code in RURAL_WARDS else URBAN_GROUPS
        made = []
        for name, kind, members in plan:
            community = _community(ward_code, name, kind, admin)
            groups.appoint_leader(
                community=community, user=users[members[0]], deputy=False, appointed_by=admin
            )
            if len(members) >= 4:
                groups.appoint_leader(
                    community=community, user=users[members[3]], deputy=True, appointed_by=admin
                )
            for index in members[1:]:
                groups.add_member(community=community, user=users[index])
            made.append((community, users[members[0]]))
        for user in users:
            groups.follow_ward(user=user, ward_code=ward_code)
        db.session.flush()
        for days, title, body, category, priority, pinned, group, who in NOTICES:
            if db.session.scalar(
                sa.select(Notice.id).where(Notice.ward_code == ward_code, Notice.title == title)
            ):
                continue
            author = {"admin": admin, "editor": editor}.get(who) or made[group][1]
            notice = notices.create(
                author=author,
                ward_code=ward_code,
                title=title,
                body=body,
                category=category,
                priority=priority,
                pinned=pinned,
                status="published",
                community_ids=[made[group][0].id] if group is not None else [],
                publish_at=None,
                expires_at=now + timedelta(days=14),
                backdate=now - timedelta(days=days, hours=2),
            )
            # A few residents have already read the older notices.
            if days >= 3:
                for reader in users[3:6]:
                    if notices.can_read(reader, notice, manager=False):
                        notices.mark_read(notice=notice, user=reader)
    load_registries()
