"""The API surface open to API clients: which endpoint needs which scope, and whose ward it is.

Declared once, here. The request guard (integrations/clients/guard.py) refuses a client's token
on any endpoint not in `SURFACE`, without the endpoint's scope, or for a ward outside the
client's wards; the OpenAPI document marks each of these operations with its scope
(integrations/clients/openapi.py). A person's token or session is never concerned.

How a call's ward is found (`Rule.ward`, a function run inside the request):
- `view_ward()`: the `<ward>` of the path (code or slug);
- `query_ward()`: `?ward=`; without it the call reads across every ward (`EVERY`), which needs
  a client granted "all" wards;
- `object_ward(arg, find)`: the ward of the object the path names, found by its module's
  service (a notice, a poll, a report, a zone, a merchant);
- a body's `ward` (or `wards`: a list, or "all") for creates.
An object or ward that does not exist gives `MISSING`: the guard lets the view answer its own
404 (or 422), so a client learns nothing it could not learn anonymously.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import request

from app.errors import DomainError

# The scopes a client may be granted, with what they allow, in Vietnamese (served in the
# vocabulary `api_scope` and in the OpenAPI security scheme).
SCOPE_LABELS = {
    "notices:read": "Đọc thông báo của phường, xã (danh sách, từng thông báo, ảnh)",
    "notices:write": "Đăng và thu hồi thông báo tới phường, xã",
    "polls:read": "Đọc các cuộc bỏ phiếu, lấy ý kiến và kết quả",
    "reports:read": "Đọc phản ánh hiện trường (cả Open311)",
    "reports:write": "Gửi phản ánh hiện trường (cả Open311)",
    "market:read": "Đọc chợ 4.0: khu chợ, tuyến phố, cửa hàng",
    "kpi:read": "Đọc chỉ tiêu chuyển đổi số, diễn biến và báo cáo tháng",
}
SCOPES = tuple(SCOPE_LABELS)


class _Marker:
    """A ward target that is not a set of wards."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


# The call reads or writes across every ward: only a client granted "all" wards may.
EVERY = _Marker("EVERY")
# The call concerns no ward (reference data such as the list of wards or the vocabulary).
NO_WARD = _Marker("NO_WARD")
# The ward or object named does not exist: the view answers (404 or 422).
MISSING = _Marker("MISSING")

WardTarget = frozenset[str] | _Marker


@dataclass(frozen=True)
class Rule:
    """What a client needs to call one endpoint.

    `scope` None means any granted scope will do (the view filters by the grant itself);
    `ward` finds the ward(s) the call concerns; `caller_field` names a form field that
    carries the caller's token instead of the Authorization header (Open311's `api_key`).
    """

    scope: str | None
    ward: Callable[[], WardTarget]
    caller_field: str | None = None
    wards_doc: str = ""


# How the ward is found ------------------------------------------------------------------


def _codes(values: Iterable[str]) -> WardTarget:
    """Return the codes of the wards given by code or slug; MISSING when none exists.

    A name that is no ward is left to the view (it refuses it: 404 or 422); every ward that
    does exist must still be granted, so that a view which skipped unknown names could not
    carry a known ward past the guard.
    """
    from app.wards import service as wards

    codes = set()
    for value in values:
        if not isinstance(value, str) or not value.strip():
            continue
        try:
            codes.add(wards.get(value).code)
        except DomainError:
            continue
    return frozenset(codes) if codes else MISSING


def _union(*targets: WardTarget) -> WardTarget:
    """Return the wards of several targets together (MISSING ones add nothing)."""
    codes = frozenset().union(*(t for t in targets if isinstance(t, frozenset)))
    return codes if codes else MISSING


def view_ward(arg: str = "ward") -> Callable[[], WardTarget]:
    """Find the ward named in the path (`<ward>`: code or slug)."""

    def find() -> WardTarget:
        return _codes([(request.view_args or {}).get(arg, "")])

    find.__doc__ = f"the path's <{arg}>"
    return find


def query_ward(arg: str = "ward", *, community_arg: str | None = None) -> Callable[[], WardTarget]:
    """Find the ward named by `?ward=` (and the ward of `?community_id=`); none: every ward."""

    def find() -> WardTarget:
        named = request.args.get(arg)
        community = request.args.get(community_arg) if community_arg else None
        if named is None and community is None:
            return EVERY
        found = _codes([named]) if named is not None else MISSING
        if community is not None:
            from community.groups import service as groups

            community_id = _as_id(community)
            ward_code = groups.ward_of(community_id) if community_id is not None else None
            found = _union(found, frozenset({ward_code}) if ward_code else MISSING)
        return found

    find.__doc__ = f"?{arg}= (without it: every ward, for clients granted all wards)"
    return find


def object_ward(arg: str, ward_of: Callable[[int], str]) -> Callable[[], WardTarget]:
    """Find the ward of the object the path names, through its module's service."""

    def find() -> WardTarget:
        try:
            return frozenset({ward_of(int((request.view_args or {})[arg]))})
        except (DomainError, KeyError, ValueError):
            return MISSING

    find.__doc__ = f"the ward of the object <{arg}>"
    return find


def body_wards() -> WardTarget:
    """Find the wards a create addresses: `ward`, or `wards` (a list, or "all")."""
    body = request.get_json(silent=True) if request.is_json else request.form.to_dict()
    if not isinstance(body, dict):
        return MISSING
    if "wards" in body:
        wards = body["wards"]
        if wards == "all":
            return EVERY
        if isinstance(wards, list) and wards:
            return _codes(wards)
        return MISSING
    return _codes([body.get("ward", "")])


body_wards.__doc__ = "the body's ward, or its wards (every one must be granted)"


def form_ward(arg: str) -> Callable[[], WardTarget]:
    """Find the ward named by a form or query parameter (Open311's `jurisdiction_id`)."""

    def find() -> WardTarget:
        return _codes([request.values.get(arg, "")])

    find.__doc__ = f"the parameter {arg}"
    return find


def open311_requests() -> WardTarget:
    """Find the wards of Open311's request list: those of `service_request_id`, else the
    `jurisdiction_id` (GeoReport ignores the other filters when ids are given)."""
    ids = [
        part.strip()
        for raw in request.args.getlist("service_request_id")
        for part in raw.split(",")
        if part.strip()
    ]
    if not ids:
        return form_ward("jurisdiction_id")()
    found = []
    for value in ids[:1000]:
        if value.isdigit():
            try:
                found.append(frozenset({_report_ward(int(value))}))
            except DomainError:
                continue
    return _union(*found)


open311_requests.__doc__ = "the wards of service_request_id, else jurisdiction_id"


def no_ward() -> WardTarget:
    """Concern no ward."""
    return NO_WARD


no_ward.__doc__ = "no ward (reference data)"


# The objects' wards, each through its module's service ----------------------------------


def _notice_ward(notice_id: int) -> str:
    from community.notices import service

    return service.get(notice_id).ward_code


def _poll_ward(poll_id: int) -> str:
    from community.polls import service

    return service.get(poll_id).ward_code


def _report_ward(report_id: int) -> str:
    from reports import service

    return service.get(report_id).ward_code


def _zone_ward(zone_id: int) -> str:
    from miniapps.market import service

    return service.get_zone(zone_id).ward_code


def _merchant_ward(merchant_id: int) -> str:
    from miniapps.market import service

    return service.get_merchant(merchant_id).zone.ward_code


def _as_id(text: str) -> int | None:
    """Read an id as the views' schemas do (int(), which takes any Unicode digits: "１" is 1);
    None when it is no number, which the view then refuses."""
    try:
        return int(text)
    except ValueError:
        return None


def _rules(scope: str | None, ward: Callable[[], WardTarget], *endpoints: str, **more) -> dict:
    return {endpoint: Rule(scope, ward, **more) for endpoint in endpoints}


NOTICE = object_ward("notice_id", _notice_ward)
POLL = object_ward("poll_id", _poll_ward)
REPORT = object_ward("report_id", _report_ward)
OPEN311_REQUEST = object_ward("request_id", _report_ward)
ZONE = object_ward("zone_id", _zone_ward)
MERCHANT = object_ward("merchant_id", _merchant_ward)

# Flask endpoint name -> what a client needs to call it.
SURFACE: dict[str, Rule] = {
    # Reference data any client needs: the 126 units and the labels of every code.
    **_rules(None, no_ward, "wards.list_wards", "wards.get_ward", "vocabulary.get_vocabulary"),
    # The change feed: any scope; the view keeps the events whose type's scope the client holds.
    **_rules(None, query_ward(), "changes.list_changes"),
    # Notices.
    **_rules("notices:read", view_ward(), "notices.list_ward_notices"),
    **_rules("notices:read", NOTICE, "notices.get_notice", "notices.get_image"),
    **_rules("notices:read", no_ward, "notices.list_categories"),
    **_rules("notices:write", body_wards, "notices.create_notice"),
    **_rules("notices:write", NOTICE, "notices.withdraw_notice"),
    # A client's own city-wide sends (the views show a client only what it sent itself).
    **_rules(
        "notices:write",
        no_ward,
        "notices.list_broadcasts",
        "notices.get_broadcast",
        "notices.withdraw_broadcast",
    ),
    # Polls.
    **_rules("polls:read", query_ward(community_arg="community_id"), "polls.list_polls"),
    **_rules("polls:read", POLL, "polls.get_poll", "polls.poll_results"),
    # Field reports, and the same through Open311 (GeoReport v2).
    **_rules("reports:read", view_ward(), "reports.list_board", "reports.list_categories"),
    **_rules("reports:read", REPORT, "reports.get_report", "reports.get_photo"),
    **_rules("reports:read", no_ward, "open311.discovery"),
    **_rules(
        "reports:read",
        form_ward("jurisdiction_id"),
        "open311.list_services",
        "open311.get_service",
    ),
    **_rules("reports:read", open311_requests, "open311.list_requests"),
    **_rules("reports:read", OPEN311_REQUEST, "open311.get_request"),
    **_rules("reports:write", body_wards, "reports.create_report"),
    **_rules(
        "reports:write",
        form_ward("jurisdiction_id"),
        "open311.create_request",
        caller_field="api_key",
    ),
    # Chợ 4.0.
    **_rules("market:read", view_ward(), "market.list_zones"),
    **_rules("market:read", ZONE, "market.get_zone", "market.list_merchants"),
    **_rules("market:read", MERCHANT, "market.get_merchant", "market.payment_qr"),
    **_rules("market:read", no_ward, "market.banks"),
    # Indicators: one ward with ?ward=, every ward without it (clients granted all wards).
    **_rules("kpi:read", query_ward(), "kpi.get_kpi", "kpi.get_history", "kpi.get_monthly_report"),
}

# Endpoints that authenticate the client themselves (HTTP Basic): the guard leaves them alone.
OAUTH_ENDPOINTS = frozenset({"oauth.token", "oauth.introspect", "oauth.revoke"})
