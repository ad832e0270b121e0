"""The mock VNeID endpoints under /mock-vneid/ (never mounted in production)."""

import hmac
import secrets

import sqlalchemy as sa
from authlib.oauth2 import OAuth2Error
from flask import Blueprint, current_app, jsonify, render_template_string, request, session
from joserfc import jwt
from joserfc.errors import JoseError

from app.database import intend_write
from app.errors import error_response
from app.extensions import db, limiter
from app.identity.demo import demo_role
from app.identity.models import ROLE_LABELS
from app.identity.views import sign_in_problem_page, wants_html
from app.mock_vneid import citizens
from app.mock_vneid.keys import public_jwks
from app.mock_vneid.server import issuer, signing_key, user_claims
from app.wards.models import Ward

blp = Blueprint("mock_vneid", __name__, url_prefix="/mock-vneid")


def _server():
    return current_app.extensions["mock_vneid_server"]


@blp.get("/.well-known/openid-configuration")
def discovery():
    """Serve the OpenID Provider metadata."""
    base = issuer()
    return jsonify(
        issuer=base,
        authorization_endpoint=f"{base}/authorize",
        token_endpoint=f"{base}/token",
        userinfo_endpoint=f"{base}/userinfo",
        jwks_uri=f"{base}/jwks",
        response_types_supported=["code"],
        grant_types_supported=["authorization_code"],
        subject_types_supported=["public"],
        id_token_signing_alg_values_supported=["RS256"],
        token_endpoint_auth_methods_supported=["client_secret_basic", "client_secret_post"],
        code_challenge_methods_supported=["S256"],
        scopes_supported=["openid", "profile", "phone", "vneid"],
        claims_supported=[
            "sub",
            "name",
            "birthdate",
            "gender",
            "phone_number",
            "personal_id",
            "vneid_level",
            "acr",
        ],
    )


@blp.get("/jwks")
def jwks():
    """Serve the public signing keys."""
    return jsonify(public_jwks(signing_key()))


@blp.get("/citizens")
def list_citizens():
    """List the demo citizens (fake people) that can sign in."""
    items = [
        {
            "sub": c.sub,
            "name": c.name,
            "vneid_level": c.vneid_level,
            "personal_id": c.personal_id,
            "ward_code": c.ward_code,
        }
        for c in citizens.all_citizens()
    ]
    return jsonify(items=items, next_cursor=None)


_PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>VNeID (giả lập) – Đăng nhập</title>
<style>
body{font-family:system-ui,sans-serif;max-width:40rem;margin:1rem auto;padding:0 1rem;color:#1a1a1a}
h1{color:#a50e0e;font-size:1.4rem}.note{background:#fff4e5;padding:.5rem;border-radius:4px}
button{display:block;width:100%;text-align:left;margin:.3rem 0;padding:.7rem;font-size:1rem;
border:1px solid #888;border-radius:6px;background:#fff;cursor:pointer}
button:focus,button:hover{outline:3px solid #0b57d0}
</style></head><body>
<h1>VNeID (giả lập) – Chọn công dân để đăng nhập</h1>
<p class="note">Đây là nhà cung cấp định danh giả lập dùng cho môi trường phát triển.
Mọi tên và số định danh dưới đây đều là dữ liệu giả.</p>
{% if error %}<p role="alert">{{ error }}</p>{% endif %}
<form method="post">
<input type="hidden" name="mock_csrf" value="{{ csrf }}">
{% for ward, people in groups %}
<h2>{{ ward }}</h2>
{% for c, role in people %}
<button type="submit" name="citizen" value="{{ c.sub }}">
{{ c.name }} — {{ role }} · định danh mức {{ c.vneid_level }}</button>
{% endfor %}{% endfor %}
</form></body></html>"""


# The consent form is the provider's own page: the relying party's X-CSRF-Token rule does not
# cover it, so it carries its own token, bound to the browser session.
_CSRF_KEY = "mock_vneid_csrf"


def _form_token() -> str:
    """Return the consent form's anti-forgery token, creating one for this browser session."""
    if _CSRF_KEY not in session:
        session[_CSRF_KEY] = secrets.token_urlsafe(24)
    return session[_CSRF_KEY]


def _form_token_ok() -> bool:
    expected = session.get(_CSRF_KEY) or ""
    sent = request.form.get("mock_csrf") or ""
    return bool(expected) and hmac.compare_digest(sent, expected)


def _chooser_groups() -> list[tuple[str, list]]:
    """Group the demo citizens by ward, each with the role the demo data gives them."""
    names = dict(
        db.session.execute(
            sa.select(Ward.code, Ward.name).where(
                Ward.code.in_({c.ward_code for c in citizens.all_citizens()})
            )
        ).all()
    )
    groups: dict[str, list] = {}
    for citizen in citizens.all_citizens():
        role = demo_role(citizen.sub)
        label = ROLE_LABELS[role] if role else "Cư dân"
        ward = names.get(citizen.ward_code, citizen.ward_code)
        groups.setdefault(ward, []).append((citizen, label))
    return list(groups.items())


def _page(error: str | None = None, status: int = 200):
    page = render_template_string(_PAGE, groups=_chooser_groups(), error=error, csrf=_form_token())
    return page, status


# Per address (nobody is signed in yet), sized for a residents' meeting or a carrier's NAT:
# each sign-in shows the page and posts the choice, and the app lets 300 sign-ins a minute
# start from one address (app/identity/views.py), so twice that here.
AUTHORIZE_LIMIT = "600/minute"


@blp.route("/authorize", methods=["GET", "POST"])
@limiter.limit(AUTHORIZE_LIMIT)
def authorize():
    """Show the sign-in page, or approve the citizen named by login_hint at once."""
    server = _server()
    intend_write()  # the authorization endpoint issues a code even on a GET (login_hint)
    try:
        grant = server.get_consent_grant(end_user=None)
    except OAuth2Error as error:
        # A bad client or redirect URI must never be redirected to: answer here. In a browser
        # this is mostly "Back" onto a request already answered (its nonce is used).
        if wants_html():
            return sign_in_problem_page("Yêu cầu đăng nhập này đã được dùng hoặc không hợp lệ.")
        return error_response(
            400, "invalid_authorization_request", error.description or error.error
        )
    if request.method == "POST":
        if not _form_token_ok():
            return _page("Phiên đăng nhập đã hết hạn; vui lòng chọn lại công dân.", 400)
        citizen = citizens.find(request.form.get("citizen"))
        if citizen is None:
            return _page("Không tìm thấy công dân.", 400)
    else:
        citizen = citizens.find(request.args.get("login_hint"))
        if citizen is None:
            return _page()
    return server.create_authorization_response(grant=grant, grant_user=citizen)


@blp.post("/token")
def token():
    """Exchange a code (with its PKCE verifier) for tokens."""
    return _server().create_token_response()


@blp.get("/userinfo")
def userinfo():
    """Return the claims of the citizen who owns the bearer access token."""
    auth = request.headers.get("Authorization", "")
    if not auth.startswith("Bearer "):
        return error_response(401, "invalid_token", "Thiếu access token.")
    try:
        decoded = jwt.decode(auth[7:], signing_key())
        claims = decoded.claims
        registry = jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": issuer()}, exp={"essential": True}
        )
        registry.validate(claims)
    except (JoseError, ValueError):
        return error_response(401, "invalid_token", "Access token không hợp lệ.")
    citizen = citizens.find(claims.get("sub"))
    if citizen is None or claims.get("token_use") != "access":
        return error_response(401, "invalid_token", "Access token không hợp lệ.")
    return jsonify(dict(user_claims(citizen)))
