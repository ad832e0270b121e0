"""The miniapp config's indicator: wards that published a config of their own."""

import sqlalchemy as sa

from app.extensions import db
from app.registry import PLAN_DEADLINE, PLAN_SOURCE, Indicator
from miniapps.config.models import MiniappVersion


def customised() -> dict[str, tuple[int, int]]:
    """Tell, per ward, whether it published a version after the first (1 of 1, or 0 of 1)."""
    rows = db.session.execute(
        sa.select(MiniappVersion.ward_code, sa.func.max(MiniappVersion.version)).group_by(
            MiniappVersion.ward_code
        )
    )
    return {code: (int(latest > 1), 1) for code, latest in rows}


INDICATORS = [
    Indicator(
        id="miniapp_customised",
        name="Miniapp được tùy biến theo đặc thù phường, xã",
        description=(
            "1 khi phường, xã đã tự xuất bản ít nhất một phiên bản cấu hình miniapp của mình "
            "(ngoài phiên bản 1 sinh từ mẫu chung)."
        ),
        target=1.0,
        unit="flag",
        measure=customised,
        position=10,
        deadline=PLAN_DEADLINE,
        source=PLAN_SOURCE,
    )
]
