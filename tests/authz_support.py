"""The authorization matrix's machinery: callers, the fixture world, and one call per case.

The world is made once per module through the API (and the identity service for people and
their roles, as the CLI does): two wards, two communities with their leaders and a member, a
poll, a notice with an image, a report, a merchant with a product, a booking service with an
appointment and a queue ticket, a residential group, API clients with and without each scope,
a webhook with a delivery. Callers authenticate with bearer tokens (a person's token acts with
the person's roles; a client's token holds its scopes) so that no CSRF header is needed.
"""

from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from PIL import Image

from app.extensions import db
from app.identity import service as identity
from app.identity.demo import CITY_ADMIN_SUB, DEPARTMENT_ADMIN_SUB, citizens_of, demo_user
from app.identity.models import User
from integrations.clients.surface import SCOPES

WARD = "00070"  # Hoàn Kiếm: the ward of every object of the world
OTHER_WARD = "00025"  # Giảng Võ
DEPARTMENT = "SKHCN"
LAT, LONG = 21.02885, 105.85224  # by Hồ Gươm, in Hoàn Kiếm

# Every caller of the matrix, in the order each row's cases run.
PEOPLE = (
    "resident",  # lives in the ward, no role, member of nothing
    "other_resident",  # lives in the other ward
    "owner",  # a resident of the ward who wrote the report, runs the merchant, booked
    "member",  # an active member of the community
    "leader",  # the community's leader
    "other_leader",  # the leader of another community of the same ward
    "ward_editor",
    "other_ward_admin",  # ward admin of the other ward
    "ward_admin",
    "dept_staff",  # department editor of SKHCN
    "dept_admin",  # department admin of SKHCN
    "city_admin",
)
CLIENTS = ("client", "client_unscoped")
CALLERS = ("anonymous", *PEOPLE, *CLIENTS)

_SUBS = {
    "ward_admin": citizens_of(WARD)[0].sub,
    "ward_editor": citizens_of(WARD)[1].sub,
    "resident": citizens_of(WARD)[2].sub,
    "member": citizens_of(WARD)[3].sub,
    "leader": citizens_of(WARD)[4].sub,
    "other_leader": citizens_of(WARD)[5].sub,
    "owner": citizens_of(WARD)[6].sub,
    "other_ward_admin": citizens_of(OTHER_WARD)[0].sub,
    "other_resident": citizens_of(OTHER_WARD)[2].sub,
    "dept_staff": citizens_of("00592")[2].sub,
    "dept_admin": DEPARTMENT_ADMIN_SUB,
    "city_admin": CITY_ADMIN_SUB,
}

OFFICE_HOURS = [{"weekday": d, "start": "00:00", "end": "23:45"} for d in range(1, 8)]


def bearer(token: str) -> dict:
    """Return the Authorization header of a bearer token."""
    return {"Authorization": f"Bearer {token}"}


def basic(client_id: str, secret: str) -> dict:
    """Return the HTTP Basic header of client credentials."""
    raw = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


def png() -> bytes:
    """A small PNG picture."""
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def multipart(fields: dict, files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    """Build a multipart body by hand (the test client spools big ones to unclosed files)."""
    boundary = "pxs-authz-boundary"
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for name, filename, data in files:
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
            ).encode()
            + data
            + b"\r\n"
        )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), (
        f"multipart/form-data; boundary={boundary}"
    )


def notice_body(ward: str = WARD, **changes) -> dict:
    """A ward-wide notice."""
    return {
        "title": "Lịch tiêm chủng",
        "body": "Tiêm chủng sáng thứ Bảy tại trạm y tế.",
        "ward": ward,
        "category": "y_te",
        **changes,
    }


def report_body(ward: str = WARD, **changes) -> dict:
    """A field report in the ward."""
    return {
        "ward": ward,
        "category": "rac_thai",
        "description": "Rác đổ trộm ở đầu ngõ, bốc mùi.",
        "lat": LAT,
        "long": LONG,
        **changes,
    }


def poll_body(ward: str = WARD, **changes) -> dict:
    """A one-question vote of the ward's followers."""
    return {
        "title": "Biểu quyết lắp camera an ninh đầu ngõ",
        "kind": "vote",
        "ward": ward,
        "questions": [{"text": "Đồng ý lắp camera?", "options": ["Đồng ý", "Không đồng ý"]}],
        "closes_at": (datetime.now(UTC) + timedelta(days=7)).isoformat(),
        "results_visibility": "always",
        **changes,
    }


MERCHANT = {
    "name": "Cà phê Mộc",
    "stall": "Ki-ốt A12",
    "category": "Cà phê, đồ uống",
    "phone": "0912345678",
    "opening_hours": "6:30–22:00",
    "bank_bin": "970436",
    "account_number": "0011001234567",
    "account_name": "NGUYEN VAN MOC",
    "products": [{"name": "Cà phê sữa đá", "price": 30000}],
}


def service_body(**changes) -> dict:
    """A booking service open every day, all day (slots exist whenever the test runs)."""
    return {
        "name": "Hộ tịch, chứng thực",
        "duration_minutes": 15,
        "capacity": 50,
        "counters": 2,
        "hours": OFFICE_HOURS,
        "location": "Bộ phận một cửa, 126 Hàng Trống",
        **changes,
    }


class SetupFailed(AssertionError):
    """Making the world failed: a call the world needs was refused."""


@dataclass
class World:
    """The fixture world: the app, a test client, people, credentials and object ids."""

    app: object
    http: object
    users: dict[str, int] = field(default_factory=dict)
    ids: dict[str, object] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    clients: dict[str, dict] = field(default_factory=dict)  # scope left out ("" = none) -> body
    counter: int = 0

    # --- credentials -------------------------------------------------------------------------

    def person_token(self, name: str) -> str:
        """Return (issuing when needed) a bearer token of a person caller."""
        if name not in self.tokens:
            with self.app.app_context():
                user = db.session.get(User, self.users[name])
                raw, _ = identity.issue_token(user)
                db.session.commit()
            self.tokens[name] = raw
        return self.tokens[name]

    def forget(self, name: str) -> None:
        """Forget a caller's credential (after a call that ends it)."""
        self.tokens.pop(name, None)
        self.tokens.pop(f"client:{name}", None)

    def client_token(self, missing: str = "") -> str:
        """Return a token of the client holding every scope but `missing`, over the ward."""
        key = f"client:{missing}"
        if key not in self.tokens:
            registered = self.clients[missing]
            response = self.http.post(
                "/oauth/token",
                data={"grant_type": "client_credentials"},
                headers=basic(registered["client_id"], registered["client_secret"]),
            )
            self.check(response, 200, "client token")
            self.tokens[key] = response.get_json()["access_token"]
        return self.tokens[key]

    def headers(self, caller: str, scope: str | None) -> dict:
        """Return the headers a caller sends (none for the anonymous)."""
        if caller == "anonymous":
            return {}
        if caller == "client":
            return bearer(self.client_token(""))
        if caller == "client_unscoped":
            return bearer(self.client_token(scope or "notices:read"))
        return bearer(self.person_token(caller))

    # --- making objects ----------------------------------------------------------------------

    def check(self, response, status: int, what: str):
        """Raise unless the response has the status; return its JSON."""
        if response.status_code != status:
            raise SetupFailed(f"{what}: {response.status_code} {response.get_data(as_text=True)}")
        return response.get_json()

    def as_(self, caller: str, method: str, url: str, status: int, what: str = "", **kwargs):
        """Call the API as a caller and return the JSON of the expected status."""
        headers = {**self.headers(caller, None), **kwargs.pop("headers", {})}
        response = self.http.open(url, method=method, headers=headers, **kwargs)
        return self.check(response, status, what or f"{method} {url}")

    def unique(self, prefix: str) -> str:
        """Return a name not used before in this world."""
        self.counter += 1
        return f"{prefix} {self.counter}"

    def new_person(self, prefix: str = "nguoi-dung") -> tuple[int, str]:
        """Create a throwaway signed-up person; return their id and sub."""
        self.counter += 1
        sub = f"authz-{prefix}-{self.counter}"
        with self.app.app_context():
            user = identity.sign_in(
                provider=identity.MOCK_PROVIDER,
                claims={"sub": sub, "name": f"Người thử {self.counter}", "vneid_level": 2},
            )
            db.session.commit()
            return user.id, sub

    def community(self, name: str | None = None, ward: str = WARD) -> dict:
        """Create a community of a ward as its admin."""
        return self.as_(
            "ward_admin" if ward == WARD else "other_ward_admin",
            "POST",
            f"/api/v1/wards/{ward}/communities",
            201,
            json={"name": name or self.unique("Tổ dân phố số"), "kind": "to_dan_pho"},
        )

    def notice(self, by: str = "ward_admin", **changes) -> int:
        """Publish a new ward notice (as the ward admin, or a client); return its id."""
        return self.as_(by, "POST", "/api/v1/notices", 201, json=notice_body(**changes))["id"]

    def broadcast(self, by: str = "city_admin") -> int:
        """Send a notice to both wards (as the city admin, or a client); return the broadcast."""
        body = notice_body(wards=[WARD, OTHER_WARD], category="an_ninh_trat_tu")
        del body["ward"]
        self.as_(by, "POST", "/api/v1/notices", 201, json=body)
        listed = self.as_(by, "GET", "/api/v1/broadcasts", 200)
        return max(item["id"] for item in listed["items"])

    def poll_broadcast(self) -> int:
        """Open a survey in both wards as the city admin; return the broadcast's id."""
        body = poll_body(wards=[WARD, OTHER_WARD], kind="survey", open=True)
        del body["ward"]
        self.as_("city_admin", "POST", "/api/v1/polls", 201, json=body)
        listed = self.as_("city_admin", "GET", "/api/v1/poll-broadcasts", 200)
        return max(item["id"] for item in listed["items"])

    def ballot(self) -> dict:
        """Open a fresh poll; return its id and a valid ballot (the first option)."""
        poll_id = self.poll()
        poll = self.as_("ward_admin", "GET", f"/api/v1/polls/{poll_id}", 200)
        question = poll["questions"][0]
        answer = {"question": question["id"], "options": [question["options"][0]["id"]]}
        return {"poll_id": poll_id, "_body": {"answers": [answer]}}

    def token_of(self, caller: str) -> str:
        """Return the bearer token a caller holds ("" for the anonymous)."""
        headers = self.headers(caller, None)
        return headers.get("Authorization", "").removeprefix("Bearer ")

    def new_member(self) -> int:
        """Make a throwaway person an active member of the community; return their id."""
        user_id, _ = self.new_person("thanh-vien")
        with self.app.app_context():
            raw, _ = identity.issue_token(db.session.get(User, user_id))
            db.session.commit()
        code = self.as_("ward_admin", "GET", f"/api/v1/communities/{self.ids['community_id']}", 200)
        response = self.http.post(
            f"/api/v1/communities/{self.ids['community_id']}/join",
            json={"invite_code": code["invite_code"]},
            headers=bearer(raw),
        )
        self.check(response, 200, "join")
        return user_id

    def group(self) -> int:
        """Add a residential group to the ward; return its id."""
        return self.as_(
            "ward_admin",
            "POST",
            f"/api/v1/wards/{WARD}/residential-groups",
            201,
            json={"name": self.unique("Tổ dân phố số"), "kind": "to_dan_pho", "households": 80},
        )["id"]

    def product(self) -> int:
        """Add a product to the merchant; return its id."""
        return self.as_(
            "owner",
            "POST",
            f"/api/v1/merchants/{self.ids['merchant_id']}/products",
            201,
            json={"name": self.unique("Trà chanh"), "price": 20000},
        )["id"]

    def poll(self, open_it: bool = True) -> int:
        """Create (and open) a ward poll as the ward admin; return its id."""
        poll = self.as_("ward_admin", "POST", "/api/v1/polls", 201, json=poll_body())["id"]
        if open_it:
            self.as_("ward_admin", "POST", f"/api/v1/polls/{poll}/open", 200)
        return poll

    def report(self, by: str = "owner") -> int:
        """Send a report as a person; return its id."""
        return self.as_(by, "POST", "/api/v1/reports", 201, json=report_body())["id"]

    def merchant(self, state: str = "verified") -> int:
        """Register a merchant in the zone as the owner (verified by staff); return its id."""
        merchant = self.as_(
            "owner",
            "POST",
            f"/api/v1/market-zones/{self.ids['zone_id']}/merchants",
            201,
            json={**MERCHANT, "stall": self.unique("Ki-ốt")},
        )["id"]
        if state == "verified":
            self.as_("ward_editor", "POST", f"/api/v1/merchants/{merchant}/verify", 200)
        return merchant

    def appointment(self, by: str = "owner") -> int:
        """Book the next free slot of the service; return the appointment's id."""
        service = self.ids["service_id"]
        for day in range(0, 14):
            date = (datetime.now(UTC) + timedelta(days=day, hours=7)).date().isoformat()
            slots = self.as_(
                "anonymous", "GET", f"/api/v1/booking-services/{service}/slots?date={date}", 200
            )
            for slot in slots["items"]:
                if slot.get("available", 1) and slot["start"] > (
                    datetime.now(UTC) + timedelta(hours=8)
                ).isoformat().replace("+00:00", "+07:00"):
                    response = self.http.post(
                        "/api/v1/appointments",
                        json={"service_id": service, "start": slot["start"]},
                        headers=self.headers(by, None),
                    )
                    if response.status_code == 201:
                        self.ids["last_slot"] = slot["start"]
                        return response.get_json()["id"]
        raise SetupFailed("no free slot to book")

    def ticket(self) -> int:
        """Issue a walk-in ticket of the service as ward staff; return its id."""
        return self.as_(
            "ward_editor",
            "POST",
            f"/api/v1/wards/{WARD}/queue/tickets",
            201,
            json={"service_id": self.ids["service_id"]},
        )["id"]

    def role_grant(self) -> int:
        """Grant a throwaway person the ward editor role; return the grant's id."""
        _, sub = self.new_person("bien-tap")
        body = self.as_(
            "city_admin",
            "POST",
            "/api/v1/roles",
            201,
            json={"sub": sub, "role": "ward_editor", "ward": WARD},
        )
        return body[0]["id"]

    def image(self, notice_id: int) -> int:
        """Attach a picture to a notice as the ward admin; return the image's id."""
        body, content_type = multipart({}, [("file", "anh.png", png())])
        return self.as_(
            "ward_admin",
            "POST",
            f"/api/v1/notices/{notice_id}/images",
            201,
            data=body,
            content_type=content_type,
        )["id"]

    def report_with_photo(self) -> tuple[int, int]:
        """Send a report with a photo as the owner; return the photo's and the report's ids."""
        fields = {k: v for k, v in report_body().items()}
        body, content_type = multipart(fields, [("photos", "anh.png", png())])
        sent = self.as_(
            "owner", "POST", "/api/v1/reports", 201, data=body, content_type=content_type
        )
        return sent["photos"][0]["id"], sent["id"]

    def webhook(self) -> int:
        """Register a webhook of the ward as the ward admin; return its id."""
        return self.as_(
            "ward_admin",
            "POST",
            "/api/v1/webhooks",
            201,
            json={
                "url": "http://127.0.0.1:9/hook",
                "events": ["notice.published"],
                "ward": WARD,
            },
        )["id"]

    def api_client(self, scopes=("notices:read",), wards=(WARD,)) -> dict:
        """Register an API client as the city admin; return the 201 body (with its secret)."""
        return self.as_(
            "city_admin",
            "POST",
            "/api/v1/clients",
            201,
            json={"name": self.unique("Ứng dụng"), "scopes": list(scopes), "wards": list(wards)},
        )


def grant_role(app, user_id: int, role: str, **where) -> None:
    """Grant a role through the identity service, as `roles grant` does."""
    with app.app_context():
        user = db.session.get(User, user_id)
        identity.grant_role(
            user=user, role=role, community_id=where.pop("community_id", None), **where
        )
        db.session.commit()


def build_world(app) -> World:
    """Make the world once: people and roles, then every object through the API."""
    world = World(app=app, http=app.test_client())
    with app.app_context():
        for name, sub in _SUBS.items():
            world.users[name] = demo_user(sub).id
        db.session.commit()
    grant_role(app, world.users["city_admin"], "city_admin", ward_code=None)
    grant_role(app, world.users["ward_admin"], "ward_admin", ward_code=WARD)
    grant_role(app, world.users["ward_editor"], "ward_editor", ward_code=WARD)
    grant_role(app, world.users["other_ward_admin"], "ward_admin", ward_code=OTHER_WARD)
    grant_role(
        app,
        world.users["dept_staff"],
        "department_editor",
        ward_code=None,
        department_code=DEPARTMENT,
    )
    grant_role(
        app,
        world.users["dept_admin"],
        "department_admin",
        ward_code=None,
        department_code=DEPARTMENT,
    )
    ids = world.ids
    ids["ward"] = WARD
    ids["dept"] = DEPARTMENT
    # Communities: C with its leader and a member, C2 with another leader.
    community = world.community("Tổ dân phố số 1")
    ids["community_id"] = community["id"]
    ids["invite_code"] = community["invite_code"]
    other = world.community("Tổ dân phố số 2")
    ids["other_community_id"] = other["id"]
    for who, where in (("leader", community), ("other_leader", other)):
        world.as_(
            "ward_admin",
            "POST",
            f"/api/v1/communities/{where['id']}/leaders",
            201,
            json={"sub": _SUBS[who]},
        )
    world.as_(
        "member",
        "POST",
        f"/api/v1/communities/{community['id']}/join",
        200,
        json={"invite_code": community["invite_code"]},
    )
    ids["user_id"] = world.users["member"]
    # Content.
    ids["notice_id"] = world.notice()
    ids["poll_id"] = world.poll()
    ids["report_id"] = world.report()
    ids["zone_id"] = world.as_(
        "ward_admin",
        "POST",
        f"/api/v1/wards/{WARD}/market-zones",
        201,
        json={"name": "Chợ Hàng Da", "kind": "market", "location": "Phố Hàng Da"},
    )["id"]
    ids["merchant_id"] = world.merchant()
    ids["service_id"] = world.as_(
        "ward_admin", "POST", f"/api/v1/wards/{WARD}/booking-services", 201, json=service_body()
    )["id"]
    ids["appointment_id"] = world.appointment()
    ids["slot_start"] = world.ids.pop("last_slot")
    ids["ticket_id"] = world.ticket()
    ids["grant_id"] = world.role_grant()
    ids["group_id"] = world.as_(
        "ward_admin",
        "POST",
        f"/api/v1/wards/{WARD}/residential-groups",
        201,
        json={"name": "Tổ dân phố số 9", "kind": "to_dan_pho", "households": 80},
    )["id"]
    # API clients: one with every scope, one without each scope.
    # A client's city-wide send must cover every ward it names: both wards are granted.
    world.clients[""] = world.api_client(SCOPES, (WARD, OTHER_WARD))
    for scope in SCOPES:
        world.clients[scope] = world.api_client([s for s in SCOPES if s != scope])
    ids["client_id"] = world.api_client()["client_id"]
    ids["webhook_id"] = world.webhook()
    # What the path parameters of the remaining routes name.
    ids["image_id"] = world.image(ids["notice_id"])
    merchant = world.as_("owner", "GET", f"/api/v1/merchants/{ids['merchant_id']}", 200)
    ids["product_id"] = merchant["products"][0]["id"]
    ids["photo_id"], ids["photo_report_id"] = world.report_with_photo()
    ids["request_id"] = ids["report_id"]
    ids["code"] = "rac_thai"
    ids["ward_type"] = "phuong"
    ids["fmt"] = "json"
    ids["service_code"] = "rac_thai"
    ids["filename"] = "app.css"
    ids["rest"] = "thong-bao"
    ids["number"] = 1
    ids["broadcast_id"] = world.broadcast()
    ids["poll_broadcast_id"] = world.poll_broadcast()
    # Objects hidden from most callers: a draft, a members' notice, a poll not yet open, a
    # merchant waiting for verification.
    ids["draft_notice_id"] = world.notice(status="draft")
    ids["community_notice_id"] = world.notice(community_ids=[ids["community_id"]])
    ids["draft_poll_id"] = world.poll(open_it=False)
    ids["pending_merchant_id"] = world.merchant("pending")
    ids["delivery_id"] = 1
    ids["policy_version"] = world.as_("anonymous", "GET", "/api/v1/privacy-notice", 200)["version"]
    ids["template"] = world.as_("city_admin", "GET", "/api/v1/miniapp/templates/phuong", 200)[
        "document"
    ]
    draft = world.as_("ward_admin", "GET", f"/api/v1/wards/{WARD}/miniapp/draft", 200)
    draft["app"]["subtitle"] = "Phường Hoàn Kiếm trong tầm tay"
    world.as_("ward_admin", "PUT", f"/api/v1/wards/{WARD}/miniapp/draft", 200, json=draft)
    world.as_("ward_admin", "POST", f"/api/v1/wards/{WARD}/miniapp/publish", 201)
    return world


def fill(rule: str, params: dict) -> str:
    """Replace a Flask rule's `<conv:name>` parts with the params' values."""

    def value(match: re.Match) -> str:
        name = match.group(1).split(":")[-1]
        if name not in params:
            raise KeyError(f"no value for <{name}> of {rule}")
        return str(params[name])

    return re.sub(r"<([^>]+)>", value, rule)


def error_code(response) -> str | None:
    """Return the error code of a JSON error answer (None otherwise)."""
    try:
        body = response.get_json(silent=True)
    except Exception:  # noqa: BLE001 - a non-JSON answer has no code
        return None
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        return body["error"].get("code")
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        return body["error"]
    return None
