"""Demo data: version 1 for every ward, and a small local edit in two pilot wards."""

import copy
from collections.abc import Callable
from typing import Any

from app.extensions import db
from app.identity.demo import demo_user, staff_sub
from app.wards.models import Ward
from miniapps.config import service


def _hoan_kiem(document: dict[str, Any]) -> None:
    """Give Hoàn Kiếm its own subtitle."""
    document["app"]["subtitle"] = "Phường trung tâm Thủ đô, bên hồ Gươm"


def _da_phuc(document: dict[str, Any]) -> None:
    """Open Đa Phúc's chợ 4.0 pilot: the market module on, with a tab."""
    document["app"]["subtitle"] = "Xã Đa Phúc – nông sản sạch, chợ 4.0"
    for module in document["modules"]:
        if module["id"] == "market":
            module["enabled"] = True
    document["tab_bar"] = [*document["tab_bar"], "market"]


DEMO_EDITS: dict[str, Callable[[dict[str, Any]], None]] = {
    "00070": _hoan_kiem,
    "00424": _da_phuc,
}


def load() -> None:
    """Publish version 1 for all 126 wards and a version 2 in Hoàn Kiếm and Đa Phúc."""
    service.ensure_initial_versions()
    for code, edit in DEMO_EDITS.items():
        ward = db.session.get(Ward, code)
        latest = service.ensure_initial_version(ward)
        if latest.version > 1:  # already loaded
            continue
        admin = demo_user(staff_sub(code))
        document = copy.deepcopy(latest.document)
        edit(document)
        service.save_draft(ward=ward, document=document, user=admin)
        service.publish(ward=ward, user=admin)
