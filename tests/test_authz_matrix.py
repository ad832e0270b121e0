"""The authorization matrix: every endpoint × every kind of caller → allowed or denied.

`TABLE` holds one row per (method, rule) of the app (static assets aside): who may call it
(`who`, a set of person callers, or `PUBLIC` for anyone including the anonymous), what an API
client needs (`scope`: `OFF` when the endpoint is outside the clients' surface, `FREE` when any
client may call it, else the scope), and how to call it (path parameters of the shared world,
query, body). A route without a row, or a row without a route, fails `test_every_route_has_a_row`:
a new endpoint must say who may call it.

Each case (row × caller) expects:
- allowed: any answer but 401/403/404 (a 409, 422 or 400 means the permission check passed;
  every write sends a valid body so that validation cannot hide a refusal), and no 5xx;
- denied: exactly 401 for the anonymous where a sign-in is needed, 403 for a signed-in caller
  without the right (`insufficient_scope` for an API client), or 404 where the row says the
  object is hidden from that caller.
A write that consumes its object runs on a fresh one (`fresh`), made for every caller (so that
a refused caller sends a valid call too). `HIDDEN_OBJECTS` repeats a few reads on objects most
callers may not see (404 for them, the anonymous included).

The callers (tests/authz_support.py): the anonymous; a resident of the ward, a resident of
another ward, the owner (wrote the report, runs the merchant, booked), a member and the leader
of a community, the leader of another community of the ward, the ward's editor and admin, the
admin of another ward, a department's editor and admin, a city admin; an API client holding
every scope over the ward, and one holding every scope but the row's.

Adding an endpoint: add its row (who, scope, and a valid body if it takes one). A wrong answer
found here is reported and its case marked with `bugs={caller: "report"}` (strict xfail).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from integrations.clients.surface import SCOPES
from tests import authz_support as support
from tests.authz_support import CALLERS, OTHER_WARD, WARD, World, error_code
from tests.conftest import _empty_tables, make_app

# --- access classes --------------------------------------------------------------------------

PUBLIC = "PUBLIC"  # anyone, the anonymous included
SIGNED_IN = frozenset(support.PEOPLE)
CITY_ADMIN = frozenset({"city_admin"})
WARD_ADMIN = CITY_ADMIN | {"ward_admin"}
WARD_STAFF = WARD_ADMIN | {"ward_editor"}
LEADER = WARD_STAFF | {"leader"}  # runs the community: its leader or the ward's staff
MEMBER = LEADER | {"member"}
OWNER = frozenset({"owner"})  # wrote the report, runs the merchant, booked the appointment
FOLLOWERS = frozenset({"member", "leader", "other_leader"})  # follow the ward
DEPT_ADMIN = CITY_ADMIN | {"dept_admin"}
DEPT_STAFF = DEPT_ADMIN | {"dept_staff"}
NOBODY: frozenset[str] = frozenset()

OFF = "OFF"  # not on the API clients' surface: any client token gets 403 insufficient_scope
FREE = "FREE"  # on the surface without a scope: every client may call it


@dataclass(frozen=True)
class Row:
    """Who may call one (method, rule), and how to call it."""

    method: str
    rule: str
    who: frozenset[str] | str
    scope: str = OFF
    query: str = ""
    params: dict = field(default_factory=dict)
    body: object = None  # a dict, or a function (world, caller) -> dict
    form: object = None  # form fields (x-www-form-urlencoded), or a function
    upload: object = None  # a function (world) -> (multipart body, content type)
    fresh: Callable | None = None  # (world, caller) -> params of a new object, per allowed case
    hidden: frozenset[str] | bool = frozenset()  # callers refused with 404 (True: every one)
    refused: int = 403  # what a signed-in caller without the right gets (but hidden ones)
    anon: int = 401  # what the anonymous get when refused
    allowed_codes: frozenset[str] = frozenset()  # 404 codes that are answers, not refusals
    basic: bool = False  # clients authenticate with their credentials (HTTP Basic)
    client_hidden: bool = False  # the object is hidden from a client holding the scope (404)
    spends: bool = False  # the call ends the caller's credential: take a new one after it
    last: bool = False  # ruins the caller for later cases: run after every other row
    bugs: dict = field(default_factory=dict)  # caller -> report of a known wrong answer

    @property
    def key(self) -> tuple[str, str]:
        return self.method, self.rule

    def allows(self, caller: str) -> bool:
        """Tell whether the caller may call it."""
        if caller in support.CLIENTS:
            if self.basic:
                return True
            if self.scope == OFF or (caller == "client" and self.client_hidden):
                return False
            return self.scope == FREE or caller == "client"
        if self.who == PUBLIC:
            return True
        return caller in self.who

    def denial(self, caller: str) -> int:
        """Return the status a refused caller gets."""
        if caller == "anonymous":
            return self.anon
        if caller == "client" and self.client_hidden:
            return 404
        if caller in support.CLIENTS:
            return 401 if self.basic else 403
        if self.hidden is True or caller in self.hidden:
            return 404
        return self.refused


def row(method: str, rule: str, who, scope: str = OFF, **kwargs) -> Row:
    """Make a row (`who` a set of callers or PUBLIC)."""
    return Row(method, rule, who if who == PUBLIC else frozenset(who), scope, **kwargs)


# --- bodies and fresh objects ------------------------------------------------------------------


# Joining a community follows its ward, and a ward's followers vote in its polls: joins go to
# communities of the other ward, so that no case changes who may vote in the world's ward.


def _new_community(world: World, caller: str) -> dict:
    made = world.community(ward=OTHER_WARD)
    return {"community_id": made["id"], "_body": {"invite_code": made["invite_code"]}}


def _invite_code(world: World, caller: str) -> dict:
    return {"invite_code": world.community(ward=OTHER_WARD)["invite_code"]}


def _new_leader(world: World, caller: str) -> dict:
    made = world.community()
    user_id, sub = world.new_person("to-truong")
    world.as_(
        "ward_admin", "POST", f"/api/v1/communities/{made['id']}/leaders", 201, json={"sub": sub}
    )
    return {"community_id": made["id"], "user_id": user_id}


def _new_member(world: World, caller: str) -> dict:
    return {"user_id": world.new_member()}


def _new_sub(world: World, caller: str) -> dict:
    return {"sub": world.new_person()[1]}


def _draft(world: World, base: str) -> dict:
    return world.as_("city_admin", "GET", f"{base}/miniapp/draft", 200)


def _merchant(state: str) -> Callable:
    def make(world: World, caller: str) -> dict:
        return {"merchant_id": world.merchant(state)}

    return make


def _notice_by(world: World, caller: str) -> dict:
    # A client withdraws what it sent itself: its notice is sent with its own token.
    return {"notice_id": world.notice(by="client" if caller == "client" else "ward_admin")}


def _broadcast_by(world: World, caller: str) -> dict:
    # A client sees and withdraws only what it sent: its broadcast is sent with its own token.
    return {"broadcast_id": world.broadcast(by="client" if caller == "client" else "city_admin")}


def _new_image(world: World, caller: str) -> dict:
    notice_id = world.notice()
    return {"notice_id": notice_id, "image_id": world.image(notice_id)}


def _slot(world: World, caller: str) -> dict:
    return {"service_id": world.ids["service_id"], "start": world.ids["slot_start"]}


CSV = "name,kind,households\r\nTổ dân phố số 31,to_dan_pho,70\r\n"


def _csv_upload(world: World):
    return support.multipart({}, [("file", "to-dan-pho.csv", CSV.encode())])


def _image_upload(world: World):
    return support.multipart({}, [("file", "anh.png", support.png())])


# --- the table ---------------------------------------------------------------------------------

AP = "/api/v1/appointments/<int:appointment_id>"
BS = "/api/v1/booking-services/<int:service_id>"
CM = "/api/v1/communities/<int:community_id>"
DP = "/api/v1/departments/<dept>"
MC = "/api/v1/merchants/<int:merchant_id>"
NT = "/api/v1/notices/<int:notice_id>"
PL = "/api/v1/polls/<int:poll_id>"
RP = "/api/v1/reports/<int:report_id>"
WD = "/api/v1/wards/<ward>"
WH = "/api/v1/webhooks/<int:webhook_id>"
HIDE_PENDING = frozenset(support.PEOPLE) - {"owner", "ward_editor", "ward_admin", "city_admin"}
HIDE_APPOINTMENT = frozenset(support.PEOPLE) - {"ward_editor", "ward_admin", "city_admin"}

TABLE: list[Row] = [
    # Pages and documents: the shells are public, the data behind them is checked by the API.
    row("GET", "/", PUBLIC),
    row("GET", "/api/docs", PUBLIC),
    row("GET", "/api/openapi.json", PUBLIC),
    row("GET", "/city", PUBLIC),
    row("GET", "/d/<dept>", PUBLIC),
    row("GET", "/w/<ward>", PUBLIC),
    row("GET", "/w/<ward>/<path:rest>", PUBLIC),
    row("GET", "/w/<ward>/queue", PUBLIC),
    row("GET", "/healthz", PUBLIC),
    row("GET", "/readyz", PUBLIC),
    # Sign-in and the mock provider (its 400s answer a malformed request: no refusal).
    row("GET", "/auth/login", PUBLIC),
    row("GET", "/auth/callback", PUBLIC),
    row("POST", "/auth/logout", PUBLIC, spends=True),
    row("GET", "/mock-vneid/.well-known/openid-configuration", PUBLIC),
    row("GET", "/mock-vneid/authorize", PUBLIC),
    row("POST", "/mock-vneid/authorize", PUBLIC),
    row("GET", "/mock-vneid/citizens", PUBLIC),
    row("GET", "/mock-vneid/jwks", PUBLIC),
    row("POST", "/mock-vneid/token", PUBLIC),
    # Only the mock provider's own access tokens read it (none of the callers holds one).
    row("GET", "/mock-vneid/userinfo", NOBODY, refused=401),
    # OAuth 2.0 for API clients: only a client's own credentials (HTTP Basic) pass.
    row(
        "POST",
        "/oauth/token",
        NOBODY,
        basic=True,
        refused=401,
        form={"grant_type": "client_credentials"},
    ),
    row(
        "POST",
        "/oauth/introspect",
        NOBODY,
        basic=True,
        refused=401,
        form={"token": "pxs_nothing"},
    ),
    row("POST", "/oauth/revoke", NOBODY, basic=True, refused=401, form={"token": "pxs_nothing"}),
    # Open311 (GeoReport v2).
    row("GET", "/open311/v2/discovery.<fmt>", PUBLIC, "reports:read"),
    row(
        "GET", "/open311/v2/services.<fmt>", PUBLIC, "reports:read", query=f"jurisdiction_id={WARD}"
    ),
    row(
        "GET",
        "/open311/v2/services/<service_code>.<fmt>",
        PUBLIC,
        "reports:read",
        query=f"jurisdiction_id={WARD}",
    ),
    row(
        "GET",
        "/open311/v2/requests.<fmt>",
        PUBLIC,
        "reports:read",
        query=f"jurisdiction_id={WARD}",
    ),
    row(
        "POST",
        "/open311/v2/requests.<fmt>",
        SIGNED_IN,
        "reports:write",
        # The resident's bearer token is the form's api_key (a client sends its own token).
        form=lambda world, caller: {
            "api_key": world.token_of(caller),
            "jurisdiction_id": WARD,
            "service_code": "rac_thai",
            "description": "Rác đổ trộm ở đầu ngõ, bốc mùi.",
            "lat": support.LAT,
            "long": support.LONG,
        },
    ),
    row("GET", "/open311/v2/requests/<int:request_id>.<fmt>", PUBLIC, "reports:read"),
    # Reference data.
    row("GET", "/api/v1/wards", PUBLIC, FREE),
    row("GET", WD, PUBLIC, FREE),
    row("GET", "/api/v1/vocabulary", PUBLIC, FREE),
    row("GET", "/api/v1/privacy-notice", PUBLIC),
    # The change feed is for systems and the ward's staff (a person sees what their roles see).
    row("GET", "/api/v1/changes", WARD_STAFF, FREE, query=f"ward={WARD}"),
    row("GET", "/api/v1/departments", PUBLIC),
    row("GET", DP, PUBLIC),
    # The signed-in person's own things.
    row("GET", "/api/v1/me", SIGNED_IN),
    row("GET", "/api/v1/me/data", SIGNED_IN),
    row(
        "POST",
        "/api/v1/me/consent",
        SIGNED_IN,
        body=lambda world, caller: {"policy_version": world.ids["policy_version"]},
    ),
    row("GET", "/api/v1/me/appointments", SIGNED_IN),
    row("GET", "/api/v1/me/communities", SIGNED_IN),
    row("GET", "/api/v1/me/feed", SIGNED_IN),
    row(
        "POST",
        "/api/v1/me/feed/seen",
        SIGNED_IN,
        body=lambda world, caller: {"notice_ids": [world.ids["notice_id"]]},
    ),
    row("GET", "/api/v1/me/feed/unread-count", SIGNED_IN),
    row("GET", "/api/v1/me/merchants", SIGNED_IN),
    row("GET", "/api/v1/me/polls", SIGNED_IN),
    row("GET", "/api/v1/me/reminders", SIGNED_IN),
    row("GET", "/api/v1/me/reports", SIGNED_IN),
    row("POST", "/api/v1/me/reports/seen", SIGNED_IN, body={}),
    row("GET", "/api/v1/me/reports/unseen-count", SIGNED_IN),
    row("POST", "/api/v1/auth/tokens", SIGNED_IN),
    row("DELETE", "/api/v1/auth/tokens/current", SIGNED_IN, spends=True),
    row("DELETE", "/api/v1/me/sessions", SIGNED_IN, spends=True),
    row("DELETE", "/api/v1/me", SIGNED_IN, spends=True, last=True),
    # Roles and accounts.
    row("GET", f"{WD}/roles", WARD_ADMIN),
    row("GET", f"{DP}/roles", DEPT_ADMIN),
    row(
        "POST",
        "/api/v1/roles",
        WARD_ADMIN,
        body=lambda world, caller: {**_new_sub(world, caller), "role": "ward_editor", "ward": WARD},
    ),
    row(
        "DELETE",
        "/api/v1/roles/<int:grant_id>",
        WARD_ADMIN,
        hidden=True,
        fresh=lambda world, caller: {"grant_id": world.role_grant()},
    ),
    row(
        "DELETE",
        "/api/v1/users/<int:user_id>/sessions",
        CITY_ADMIN,
        params={"user_id": "member"},
        fresh=lambda world, caller: {"user_id": world.new_person()[0]},
    ),
    # Audit.
    row("GET", "/api/v1/audit", CITY_ADMIN),
    row("GET", f"{WD}/audit", WARD_ADMIN),
    # API clients and webhooks.
    row(
        "POST",
        "/api/v1/clients",
        CITY_ADMIN,
        body=lambda world, caller: {
            "name": world.unique("Ứng dụng"),
            "scopes": ["notices:read"],
            "wards": [WARD],
        },
    ),
    row("GET", "/api/v1/clients", CITY_ADMIN),
    row("GET", "/api/v1/clients/<client_id>", CITY_ADMIN),
    row(
        "DELETE",
        "/api/v1/clients/<client_id>",
        CITY_ADMIN,
        fresh=lambda world, caller: {"client_id": world.api_client()["client_id"]},
    ),
    row("GET", "/api/v1/webhooks/event-types", PUBLIC),
    row(
        "POST",
        "/api/v1/webhooks",
        WARD_ADMIN,
        body={"url": "http://127.0.0.1:9/hook", "events": ["notice.published"], "ward": WARD},
    ),
    row("GET", "/api/v1/webhooks", WARD_ADMIN, query=f"ward={WARD}"),
    row("GET", WH, WARD_ADMIN, hidden=True),
    row(
        "DELETE",
        WH,
        WARD_ADMIN,
        hidden=True,
        fresh=lambda world, caller: {"webhook_id": world.webhook()},
    ),
    row("POST", f"{WH}/enable", WARD_ADMIN, hidden=True),
    row("POST", f"{WH}/test", WARD_ADMIN, hidden=True),
    row("GET", f"{WH}/deliveries", WARD_ADMIN, hidden=True),
    row(
        "POST",
        f"{WH}/deliveries/<int:delivery_id>/replay",
        WARD_ADMIN,
        hidden=True,
        allowed_codes=frozenset({"delivery_not_found"}),
    ),
    # Communities.
    row("GET", f"{WD}/communities", PUBLIC),
    row(
        "POST",
        f"{WD}/communities",
        WARD_STAFF,
        body=lambda world, caller: {"name": world.unique("Chi hội"), "kind": "chi_hoi"},
    ),
    row("GET", CM, PUBLIC),
    row("POST", f"{CM}/invite-code", LEADER),
    row("GET", f"{CM}/invite-qr.png", LEADER),
    row("POST", f"{CM}/join", SIGNED_IN, fresh=_new_community),
    row("POST", "/api/v1/communities/join", SIGNED_IN, body=_invite_code),
    row("GET", f"{CM}/membership", SIGNED_IN, allowed_codes=frozenset({"not_a_member"})),
    row(
        "PUT",
        f"{CM}/membership",
        SIGNED_IN,
        body={"household": "Số 12 ngõ Hàng Hành"},
        allowed_codes=frozenset({"not_a_member"}),
    ),
    row(
        "DELETE",
        f"{CM}/membership",
        SIGNED_IN,
        fresh=lambda world, caller: {"community_id": world.community()["id"]},
        allowed_codes=frozenset({"not_a_member"}),
    ),
    row("GET", f"{CM}/members", MEMBER),
    row("POST", f"{CM}/members", LEADER, body=lambda world, caller: _new_sub(world, caller)),
    row("DELETE", f"{CM}/members/<int:user_id>", LEADER, fresh=_new_member),
    row("POST", f"{CM}/members/<int:user_id>/approve", LEADER),
    row("POST", f"{CM}/members/<int:user_id>/confirm-household", LEADER),
    row("POST", f"{CM}/leaders", WARD_STAFF, body=lambda world, caller: _new_sub(world, caller)),
    row("DELETE", f"{CM}/leaders/<int:user_id>", WARD_STAFF, fresh=_new_leader),
    row("GET", f"{WD}/follow", SIGNED_IN, params={"ward": OTHER_WARD}),
    row("POST", f"{WD}/follow", SIGNED_IN, params={"ward": OTHER_WARD}),
    row("DELETE", f"{WD}/follow", SIGNED_IN, params={"ward": OTHER_WARD}),
    row("GET", f"{WD}/residential-groups", PUBLIC),
    row(
        "POST",
        f"{WD}/residential-groups",
        WARD_STAFF,
        body=lambda world, caller: {"name": world.unique("Tổ dân phố số"), "kind": "to_dan_pho"},
    ),
    row("POST", f"{WD}/residential-groups/import", WARD_STAFF, upload=_csv_upload),
    row(
        "PATCH",
        "/api/v1/residential-groups/<int:group_id>",
        WARD_STAFF,
        body={"households": 90},
    ),
    row(
        "DELETE",
        "/api/v1/residential-groups/<int:group_id>",
        WARD_STAFF,
        fresh=lambda world, caller: {"group_id": world.group()},
    ),
    # Notices.
    row("GET", "/api/v1/notice-categories", PUBLIC, "notices:read"),
    # The ward's list of notices is for its staff and its communities' leaders (residents read
    # their feed).
    row("GET", f"{WD}/notices", WARD_STAFF | {"leader", "other_leader"}, "notices:read"),
    row("POST", "/api/v1/notices", WARD_STAFF, "notices:write", body=support.notice_body()),
    row("GET", NT, PUBLIC, "notices:read"),
    row(
        "POST",
        f"{NT}/publish",
        WARD_STAFF,
        hidden=True,  # a draft is hidden from all but the staff
        fresh=lambda world, caller: {"notice_id": world.notice(status="draft")},
    ),
    row("POST", f"{NT}/withdraw", WARD_STAFF, "notices:write", fresh=_notice_by),
    row("POST", f"{NT}/read", SIGNED_IN),
    row("GET", f"{NT}/stats", WARD_STAFF),
    row(
        "POST",
        f"{NT}/images",
        WARD_STAFF,
        upload=_image_upload,
        fresh=lambda world, caller: {"notice_id": world.notice()},
    ),
    row("GET", f"{NT}/images/<int:image_id>", PUBLIC, "notices:read"),
    row(
        "DELETE",
        f"{NT}/images/<int:image_id>",
        WARD_STAFF,
        fresh=_new_image,
    ),
    row("GET", "/api/v1/broadcasts", SIGNED_IN, "notices:write"),
    # A city-wide send: its sender (a client sees only its own) and city admins; hidden from
    # anyone else.
    row(
        "GET",
        "/api/v1/broadcasts/<int:broadcast_id>",
        CITY_ADMIN,
        "notices:write",
        hidden=True,
        fresh=_broadcast_by,
    ),
    row(
        "POST",
        "/api/v1/broadcasts/<int:broadcast_id>/withdraw",
        CITY_ADMIN,
        "notices:write",
        hidden=True,
        fresh=_broadcast_by,
    ),
    # Polls.
    row("GET", "/api/v1/polls", PUBLIC, "polls:read", query=f"ward={WARD}"),
    row("POST", "/api/v1/polls", WARD_STAFF, body=lambda world, caller: support.poll_body()),
    row("GET", PL, PUBLIC, "polls:read"),
    row("GET", f"{PL}/results", PUBLIC, "polls:read"),
    row("GET", f"{PL}/audit", WARD_STAFF),
    row(
        "POST",
        f"{PL}/open",
        WARD_STAFF,
        hidden=True,  # a poll not yet open is hidden from all but the staff
        fresh=lambda world, caller: {"poll_id": world.poll(open_it=False)},
    ),
    row(
        "POST",
        f"{PL}/close",
        WARD_STAFF,
        body={},
        fresh=lambda world, caller: {"poll_id": world.poll()},
    ),
    # The ward's followers vote (members and leaders of its communities follow it).
    row(
        "POST",
        f"{PL}/ballots",
        FOLLOWERS,
        fresh=lambda world, caller: world.ballot(),
    ),
    row("GET", f"{PL}/ballots", PUBLIC),
    # The list shows each caller what they sent (empty for most); one survey is hidden from
    # anyone but its sender and city admins.
    row("GET", "/api/v1/poll-broadcasts", SIGNED_IN),
    row(
        "GET",
        "/api/v1/poll-broadcasts/<int:broadcast_id>",
        CITY_ADMIN,
        hidden=True,
        params={"broadcast_id": "poll_broadcast_id"},
    ),
    # Field reports.
    row("GET", f"{WD}/report-categories", PUBLIC, "reports:read"),
    row(
        "POST",
        f"{WD}/report-categories",
        WARD_STAFF,
        body=lambda world, caller: {
            "code": f"loai_{world.unique('x').split()[-1]}",
            "name": world.unique("Loại phản ánh"),
            "deadline_days": 5,
        },
    ),
    row(
        "PATCH",
        f"{WD}/report-categories/<code>",
        WARD_STAFF,
        body={"description": "Rác thải sinh hoạt, phế thải."},
    ),
    row("GET", f"{WD}/reports", PUBLIC, "reports:read"),
    row("GET", f"{WD}/reports/queue", WARD_STAFF),
    row("POST", "/api/v1/reports", SIGNED_IN, "reports:write", body=support.report_body()),
    row("GET", RP, PUBLIC, "reports:read"),
    row("PATCH", RP, WARD_STAFF, body={"category": "rac_thai"}),
    row(
        "POST",
        f"{RP}/status",
        WARD_STAFF,
        body={"status": "in_progress", "note": "Đã giao tổ vệ sinh môi trường."},
    ),
    row(
        "POST",
        f"{RP}/hide",
        WARD_STAFF,
        body={"target": "description", "reason": "Lộ thông tin cá nhân."},
        fresh=lambda world, caller: {"report_id": world.report()},
    ),
    row("GET", f"{RP}/moderation", WARD_STAFF),
    row("POST", f"{RP}/rating", OWNER, body={"stars": 5}),
    row("POST", f"{RP}/reopen", OWNER, body={}),
    row(
        "GET",
        f"{RP}/photos/<int:photo_id>",
        PUBLIC,
        "reports:read",
        params={"report_id": "photo_report_id"},
    ),
    # Chợ 4.0.
    row("GET", "/api/v1/banks", PUBLIC, "market:read"),
    row("GET", f"{WD}/market-zones", PUBLIC, "market:read"),
    row(
        "POST",
        f"{WD}/market-zones",
        WARD_STAFF,
        body=lambda world, caller: {"name": world.unique("Chợ"), "kind": "market"},
    ),
    row("GET", "/api/v1/market-zones/<int:zone_id>", PUBLIC, "market:read"),
    row("GET", "/api/v1/market-zones/<int:zone_id>/merchants", PUBLIC, "market:read"),
    row(
        "POST",
        "/api/v1/market-zones/<int:zone_id>/merchants",
        SIGNED_IN,
        body=lambda world, caller: {**support.MERCHANT, "stall": world.unique("Ki-ốt")},
    ),
    row("GET", "/api/v1/market-zones/<int:zone_id>/report", WARD_STAFF),
    row("GET", MC, PUBLIC, "market:read"),
    row(
        "PATCH",
        MC,
        OWNER | WARD_STAFF,
        body={"opening_hours": "7:00–21:00"},
        fresh=_merchant("verified"),
    ),
    row("GET", f"{MC}/payment-qr", PUBLIC, "market:read"),
    row("GET", f"{MC}/payment-qr.png", PUBLIC),
    row("GET", f"{MC}/payment-qr.svg", PUBLIC),
    row("GET", f"{MC}/poster.pdf", PUBLIC),
    row("POST", f"{MC}/products", OWNER | WARD_STAFF, body={"name": "Bạc xỉu", "price": 35000}),
    # A merchant waiting for verification is hidden from all but its owner and the staff.
    row("POST", f"{MC}/verify", WARD_STAFF, hidden=HIDE_PENDING, fresh=_merchant("pending")),
    row(
        "POST",
        f"{MC}/reject",
        WARD_STAFF,
        body={"reason": "Sai số tài khoản."},
        hidden=HIDE_PENDING,
        fresh=_merchant("pending"),
    ),
    row(
        "POST",
        f"{MC}/suspend",
        WARD_STAFF,
        body={"reason": "Ngừng kinh doanh."},
        fresh=_merchant("verified"),
    ),
    row("PATCH", f"{MC}/support", WARD_STAFF, body={"etax_supported": True}),
    row("PATCH", "/api/v1/products/<int:product_id>", OWNER | WARD_STAFF, body={"price": 32000}),
    row(
        "DELETE",
        "/api/v1/products/<int:product_id>",
        OWNER | WARD_STAFF,
        fresh=lambda world, caller: {"product_id": world.product()},
    ),
    # Appointments and the hall's queue.
    row("GET", f"{WD}/booking-services", PUBLIC),
    row(
        "POST",
        f"{WD}/booking-services",
        WARD_STAFF,
        body=lambda world, caller: support.service_body(name=world.unique("Chứng thực")),
    ),
    row("GET", BS, PUBLIC),
    row("PATCH", BS, WARD_STAFF, body={"description": "Mang theo căn cước."}),
    row("GET", f"{BS}/days", PUBLIC),
    row(
        "GET",
        f"{BS}/slots",
        PUBLIC,
        query="date=" + (datetime.now(UTC) + timedelta(days=1)).date().isoformat(),
    ),
    row("POST", "/api/v1/appointments", SIGNED_IN, body=_slot),
    row("GET", AP, OWNER | WARD_STAFF, hidden=HIDE_APPOINTMENT),
    row(
        "DELETE",
        AP,
        OWNER,
        hidden=HIDE_APPOINTMENT,
        # One booking per service and day: only the holder's own case takes a new one.
        fresh=lambda world, caller: (
            {"appointment_id": world.appointment()} if caller == "owner" else {}
        ),
    ),
    row("GET", f"{AP}/calendar.ics", OWNER | WARD_STAFF, hidden=HIDE_APPOINTMENT),
    row("GET", f"{AP}/ticket.png", OWNER | WARD_STAFF, hidden=HIDE_APPOINTMENT),
    row("POST", f"{AP}/rating", OWNER, body={"stars": 5}, hidden=HIDE_APPOINTMENT),
    row("GET", f"{WD}/appointments", WARD_STAFF),
    row("GET", f"{WD}/booking-stats", WARD_STAFF),
    row("GET", f"{WD}/queue", PUBLIC),
    row("GET", f"{WD}/queue/tickets", WARD_STAFF),
    row(
        "POST",
        f"{WD}/queue/tickets",
        WARD_STAFF,
        body=lambda world, caller: {"service_id": world.ids["service_id"]},
    ),
    row(
        "POST",
        f"{WD}/queue/check-in",
        WARD_STAFF,
        body={"code": "ZZZZZZ"},
        allowed_codes=frozenset({"appointment_not_found"}),
    ),
    row("POST", f"{WD}/queue/call-next", WARD_STAFF, body={"counter": 1}),
    row(
        "POST",
        "/api/v1/queue/tickets/<int:ticket_id>/done",
        WARD_STAFF,
        fresh=lambda world, caller: {"ticket_id": world.ticket()},
    ),
    row(
        "POST",
        "/api/v1/queue/tickets/<int:ticket_id>/no-show",
        WARD_STAFF,
        fresh=lambda world, caller: {"ticket_id": world.ticket()},
    ),
    row("POST", "/api/v1/queue/tickets/<int:ticket_id>/recall", WARD_STAFF, body={}),
    # Indicators.
    row("GET", "/api/v1/kpi", PUBLIC, "kpi:read", query=f"ward={WARD}"),
    row(
        "GET",
        "/api/v1/kpi/history",
        PUBLIC,
        "kpi:read",
        query=f"ward={WARD}&indicator=miniapp_customised",
    ),
    row(
        "GET",
        "/api/v1/kpi/report.pdf",
        WARD_STAFF,
        "kpi:read",
        query=f"ward={WARD}&month=" + datetime.now(UTC).strftime("%Y-%m"),
    ),
    # The miniapp's configuration: wards, departments, templates.
    row("GET", f"{WD}/miniapp", PUBLIC),
    # A ward's miniapp is configured by its admins (editors do not publish the app).
    row("GET", f"{WD}/miniapp/draft", WARD_ADMIN),
    row(
        "PUT",
        f"{WD}/miniapp/draft",
        WARD_ADMIN,
        body=lambda world, caller: _draft(world, f"/api/v1/wards/{WARD}"),
    ),
    row("DELETE", f"{WD}/miniapp/draft", WARD_ADMIN),
    row("POST", f"{WD}/miniapp/publish", WARD_ADMIN, body={}),
    row("GET", f"{WD}/miniapp/versions", WARD_ADMIN),
    row("GET", f"{WD}/miniapp/versions/<int:number>", WARD_ADMIN),
    row("POST", f"{WD}/miniapp/versions/<int:number>/restore", WARD_ADMIN, body={}),
    row("GET", f"{WD}/miniapp/audit", WARD_ADMIN),
    row("GET", f"{DP}/miniapp", PUBLIC),
    row("GET", f"{DP}/miniapp/draft", DEPT_ADMIN),
    row(
        "PUT",
        f"{DP}/miniapp/draft",
        DEPT_ADMIN,
        body=lambda world, caller: _draft(world, "/api/v1/departments/SKHCN"),
    ),
    row("DELETE", f"{DP}/miniapp/draft", DEPT_ADMIN),
    row("POST", f"{DP}/miniapp/publish", DEPT_ADMIN, body={}),
    row("GET", f"{DP}/miniapp/versions", DEPT_ADMIN),
    row("GET", f"{DP}/miniapp/versions/<int:number>", DEPT_ADMIN),
    row("POST", f"{DP}/miniapp/versions/<int:number>/restore", DEPT_ADMIN, body={}),
    row("GET", f"{DP}/miniapp/audit", DEPT_ADMIN),
    row("GET", "/api/v1/miniapp/templates/<ward_type>", CITY_ADMIN),
    row(
        "PUT",
        "/api/v1/miniapp/templates/<ward_type>",
        CITY_ADMIN,
        body=lambda world, caller: world.ids["template"],
    ),
    row(
        "POST",
        "/api/v1/miniapp/templates/<ward_type>/preview",
        CITY_ADMIN,
        body=lambda world, caller: world.ids["template"],
    ),
]

# The same routes on objects hidden from most callers: each answers 404 (the anonymous too) to
# anyone who may not see the object, as if it did not exist.
HIDDEN_OBJECTS: list[Row] = [
    row(
        "GET",
        NT,
        WARD_STAFF,
        "notices:read",
        params={"notice_id": "draft_notice_id"},
        hidden=True,
        anon=404,
        client_hidden=True,
    ),
    row(
        "GET",
        NT,
        MEMBER,
        "notices:read",
        params={"notice_id": "community_notice_id"},
        hidden=True,
        anon=404,
        client_hidden=True,
    ),
    row(
        "GET",
        PL,
        WARD_STAFF,
        "polls:read",
        params={"poll_id": "draft_poll_id"},
        hidden=True,
        anon=404,
        client_hidden=True,
    ),
    row(
        "GET",
        MC,
        OWNER | WARD_STAFF,
        "market:read",
        params={"merchant_id": "pending_merchant_id"},
        hidden=True,
        anon=404,
        client_hidden=True,
    ),
]

# Routes that are not endpoints: static files.
NOT_ENDPOINTS = ("/static/", "/api/docs-assets/")


def _route_keys(app) -> set[tuple[str, str]]:
    """Return every (method, rule) of the app but static files (HEAD and OPTIONS aside)."""
    return {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if not rule.rule.startswith(NOT_ENDPOINTS)
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def _routes_of_a_bare_app() -> set[tuple[str, str]]:
    """Return the routes of an app made for the purpose (parametrizing needs them early)."""
    with tempfile.TemporaryDirectory(prefix="pxs-authz-") as instance:
        return _route_keys(make_app("sqlite://", instance))


ROUTES = _routes_of_a_bare_app()


def _cases() -> list:
    """Every (row, caller) whose route exists, rows that ruin their callers last."""
    cases = []
    for entry in sorted(TABLE + HIDDEN_OBJECTS, key=lambda r: r.last):
        if entry.key not in ROUTES:
            continue
        for caller in CALLERS:
            marks = ()
            if caller in entry.bugs:
                marks = (pytest.mark.xfail(strict=True, reason=entry.bugs[caller]),)
            name = f"{entry.method} {entry.rule}"
            if entry in HIDDEN_OBJECTS:
                name += " (" + ", ".join(map(str, entry.params.values())) + ")"
            cases.append(pytest.param(entry, caller, id=f"{name} [{caller}]", marks=marks))
    return cases


# --- fixtures and tests ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(database_url):
    """The fixture world, made once for the module; its rows are removed afterwards."""
    app = make_app(database_url, os.environ["PXS_TEST_INSTANCE"])
    try:
        yield support.build_world(app)
    finally:
        _empty_tables(app)


def test_every_route_has_a_row():
    """Every route has exactly one row, and every row a route."""
    keys = [entry.key for entry in TABLE]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    assert not twice, f"rows given twice: {twice}"
    missing = sorted(ROUTES - set(keys))
    assert not missing, (
        "routes without a row in the authorization matrix (say who may call them): "
        + ", ".join(f"{m} {r}" for m, r in missing)
    )
    gone = sorted(set(keys) - ROUTES)
    assert not gone, "rows whose route no longer exists: " + ", ".join(f"{m} {r}" for m, r in gone)


def test_every_scope_is_tested_with_and_without_it():
    """The table covers every scope of the clients' surface."""
    assert {entry.scope for entry in TABLE} - {OFF, FREE} == set(SCOPES)


def _call(world: World, entry: Row, caller: str):
    params = dict(world.ids)
    for name, value in entry.params.items():
        if isinstance(value, str):
            value = world.ids.get(value, world.users.get(value, value))
        params[name] = value
    if entry.fresh is not None:
        # A fresh object for refused callers too: a valid call, so that a refusal is observed
        # rather than a validation error, and a wrong allow would not spoil the shared world.
        params.update(entry.fresh(world, caller))
    body = params.pop("_body", None)
    if body is None:
        body = entry.body(world, caller) if callable(entry.body) else entry.body
    url = support.fill(entry.rule, params)
    if entry.query:
        url += "?" + entry.query
    headers = world.headers(caller, entry.scope if entry.scope not in (OFF, FREE) else None)
    if entry.basic and caller in support.CLIENTS:
        registered = world.clients["" if caller == "client" else "notices:read"]
        headers = support.basic(registered["client_id"], registered["client_secret"])
    kwargs: dict = {"headers": headers}
    if entry.upload is not None:
        kwargs["data"], kwargs["content_type"] = entry.upload(world)
    elif entry.form is not None:
        kwargs["data"] = entry.form(world, caller) if callable(entry.form) else entry.form
    elif body is not None:
        kwargs["json"] = body
    response = world.http.open(url, method=entry.method, **kwargs)
    if entry.spends:
        world.forget(caller)
    return response


@pytest.mark.parametrize(("entry", "caller"), _cases())
def test_case(world, entry: Row, caller: str):
    """One caller on one endpoint: allowed or refused as the table says."""
    response = _call(world, entry, caller)
    status, code = response.status_code, error_code(response)
    body = response.get_json(silent=True) if code else None
    response.close()  # a file answer (a page, a PNG) keeps its file open until closed
    where = f"{entry.method} {entry.rule} as {caller}"
    got = f"got {status} {code or ''}".rstrip()
    assert status < 500, f"{where}: {got}"
    if entry.allows(caller):
        refused = status in (401, 403) or (status == 404 and code not in entry.allowed_codes)
        assert not refused, f"{where}: expected allowed, {got}"
    else:
        expected = entry.denial(caller)
        assert status == expected, f"{where}: expected denied with {expected}, {got}"
        if caller in support.CLIENTS and expected == 403:
            assert code == "insufficient_scope", f"{where}: expected insufficient_scope, {got}"
            if entry.scope not in (OFF, FREE):
                # The refusal names the scope the client lacks.
                assert body["error"]["details"].get("scope") == entry.scope, f"{where}: {body}"
