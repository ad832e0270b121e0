"""The privacy notice residents read at their first sign-in, and the consent it records.

Law 91/2025/QH15 on personal data protection asks that the person be told, before their data
is processed, what is collected, why, for how long, who sees it and what their rights are, and
that their consent be recorded. The notice is shown by the web front after the first sign-in
(and after a new version); accepting it records a `Consent` for this version.
"""

import sqlalchemy as sa

from app.database import insert_ignore
from app.errors import ValidationFailed
from app.extensions import db
from app.identity.models import Consent, User

PURPOSE = "community_participation"
# 2026-11 was recorded silently at sign-in, before anyone was shown a notice: a new version, so
# that everyone reads this one (field reports included) once.
VERSION = "2026-12"

NOTICE = {
    "version": VERSION,
    "title": "Thông báo về xử lý dữ liệu cá nhân",
    "sections": [
        {
            "heading": "Chúng tôi lưu gì",
            "text": "Họ tên và mức định danh VNeID của bạn; số định danh cá nhân chỉ được lưu "
            "dưới dạng mã băm có khóa, không ai đọc lại được. Cộng đồng bạn tham gia, thông báo "
            "bạn đã đọc, phiếu bạn đã bỏ, gian hàng bạn đăng ký (số điện thoại, tài khoản "
            "nhận tiền) và phản ánh hiện trường bạn gửi (nội dung, ảnh đã xóa thông tin máy "
            "chụp và vị trí, vị trí làm tròn khoảng 11 m, địa chỉ).",
        },
        {
            "heading": "Để làm gì",
            "text": "Để bạn nhận thông báo của phường, xã và tổ dân phố, tham gia biểu quyết, "
            "khảo sát, và để người mua thanh toán cho gian hàng của bạn. Không dùng cho quảng "
            "cáo, không bán cho ai.",
        },
        {
            "heading": "Ai được xem",
            "text": "Cán bộ phường, xã và người phụ trách cộng đồng của bạn thấy tên bạn trong "
            "danh sách thành viên. Phản ánh hiện trường được đăng công khai nhưng không kèm tên "
            "bạn; chỉ cán bộ phường, xã biết ai gửi. Phiếu bầu kín không gắn với tên bạn: "
            "không ai, kể cả cán bộ, biết bạn đã chọn gì.",
        },
        {
            "heading": "Quyền của bạn",
            "text": "Bạn có thể tải về toàn bộ dữ liệu của mình và xóa tài khoản bất cứ lúc nào "
            "ở trang «Tài khoản». Khi xóa, tên và mã băm định danh bị xóa; các phiếu đã bỏ vẫn "
            "được đếm (không gắn với bạn) để kết quả không thay đổi; các phản ánh đã gửi vẫn "
            "được công khai nhưng không còn gắn với tài khoản của bạn.",
        },
    ],
}


def consent_required(user: User) -> bool:
    """Tell whether the person has yet to accept the current version of the notice."""
    found = db.session.scalar(
        sa.select(Consent.id).where(
            Consent.user_id == user.id,
            Consent.purpose == PURPOSE,
            Consent.policy_version == VERSION,
        )
    )
    return found is None


def record_consent(user: User, *, version: str) -> None:
    """Record that the person accepted this version of the notice (idempotent)."""
    if version != VERSION:
        raise ValidationFailed.on_field(
            "policy_version",
            "Phiên bản thông báo",
            "Thông báo đã được cập nhật; hãy đọc lại bản mới nhất.",
        )
    insert_ignore(
        Consent,
        [{"user_id": user.id, "purpose": PURPOSE, "policy_version": VERSION}],
        keys=["user_id", "purpose", "policy_version"],
    )
