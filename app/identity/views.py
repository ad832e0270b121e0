"""Sign-in (browser) and identity API endpoints."""

from urllib.parse import urlsplit

import requests
from authlib.common.errors import AuthlibBaseError
from flask import Blueprint, Response, redirect, render_template_string, request, session, url_for
from flask_smorest import Blueprint as ApiBlueprint
from joserfc.errors import JoseError

from app.database import intend_write
from app.departments import service as departments
from app.errors import Conflict, NotFound, ValidationFailed, error_response
from app.extensions import limiter
from app.idempotency import idempotent_create
from app.identity import auth, policy, privacy, service
from app.identity.exceptions import SignInFailed
from app.identity.models import SERVICE_ACCOUNT_ISSUER
from app.identity.oidc import current_issuer, finish_sign_in, start_sign_in
from app.identity.schemas import (
    ConsentSchema,
    GrantCreateSchema,
    GrantListSchema,
    GrantSchema,
    MeSchema,
    PrivacyNoticeSchema,
    TokenSchema,
)
from app.wards import service as wards

blp = Blueprint("identity", __name__)
api_blp = ApiBlueprint("me", __name__, description="Đăng nhập, tài khoản, quyền")


def safe_next(value: str | None) -> str:
    """Return `value` if it is a local path, else "/" (no open redirect)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or any(ord(c) < 32 for c in value):
        return "/"
    return value


_SIGN_IN_PROBLEM = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Chưa đăng nhập được – Phường Xã Số</title>
<link rel="stylesheet" href="/static/app.css"></head>
<body><main class="page" id="main"><h1>Chưa đăng nhập được</h1>
<p role="alert">{{ message }}</p>
<p>Thường gặp khi bấm «Quay lại» ngay sau khi đăng nhập, hoặc khi trang đăng nhập đã mở quá
lâu. Không có gì bị thay đổi; bạn chỉ cần đăng nhập lại.</p>
<p><a class="button" href="{{ login }}">Đăng nhập lại bằng VNeID</a></p>
<p><a href="{{ home }}">Về trang trước</a></p></main></body></html>"""


def wants_html() -> bool:
    """Tell whether the client prefers an HTML page to JSON (a browser navigating)."""
    return request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html"


def sign_in_problem_page(message: str, *, status: int = 400, next_url: str | None = None):
    """Answer a failed sign-in in a browser with a Vietnamese page that offers to sign in again.

    Programs (which do not prefer HTML) get the JSON error body instead.
    """
    home = safe_next(next_url or session.get("login_next"))
    if not wants_html():
        return error_response(status, SignInFailed.code, message)
    page = render_template_string(
        _SIGN_IN_PROBLEM,
        message=message,
        login=url_for("identity.login", next=home),
        home=home,
    )
    response = Response(page, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


@blp.errorhandler(SignInFailed)
def _sign_in_failed(exc: SignInFailed):
    return sign_in_problem_page(exc.message, status=exc.status)


# Sign-in has no account yet, so it counts per address; a residents' meeting on one Wi-Fi or a
# carrier's NAT puts a hundred honest people behind one address (each sign-in is one login and
# one callback, and some press it twice): 300 a minute lets 120 sign-ins a minute through with
# room to spare and still stops a flood from one address.
SIGN_IN_LIMIT = "300/minute"
# Per account: an honest person does these a few times a day at most.
ACCOUNT_LIMIT = "10/minute"


@blp.get("/auth/login")
@limiter.limit(SIGN_IN_LIMIT)
def login():
    """Start the OpenID Connect code flow (PKCE S256, state, nonce) with VNeID."""
    session["login_next"] = safe_next(request.args.get("next"))
    extra = {}
    hint = request.args.get("login_hint")
    if hint:
        extra["login_hint"] = hint[:255]
    return start_sign_in(url_for("identity.callback", _external=True), **extra)


@blp.get("/auth/callback")
@limiter.limit(SIGN_IN_LIMIT)
def callback():
    """Finish the code flow: check state, exchange the code, verify the ID token, sign in."""
    if "error" in request.args:
        raise SignInFailed("Đăng nhập VNeID bị từ chối hoặc thất bại.")
    # No database access before the exchange: with the in-process mock the token endpoint
    # runs inside this request, on its own connection, and must be able to take SQLite's
    # write lock (this view then declares that it writes, so its first query begins IMMEDIATE
    # and holds that lock until the response). Keep every query below this call.
    try:
        token = finish_sign_in()
    except (AuthlibBaseError, JoseError, requests.RequestException, ValueError, KeyError) as exc:
        raise SignInFailed(
            "Đăng nhập VNeID thất bại; vui lòng thử lại.",
            details={"reason": type(exc).__name__},
        ) from exc
    claims = token.get("userinfo")
    if not claims or not claims.get("sub"):
        raise SignInFailed("Nhà cung cấp định danh không trả về ID token hợp lệ.")
    issuer, _ = current_issuer()
    intend_write()  # OAuth makes the callback a GET; it signs the person in
    user = service.sign_in(provider=service.provider_key(issuer), claims=claims)
    next_url = session.get("login_next", "/")
    auth.start_session(user)
    return redirect(safe_next(next_url))


@blp.post("/auth/logout")
def logout():
    """Sign out of this browser session: its row is deleted, so copies of the cookie end too."""
    auth.end_session()
    target = request.form.get("next")
    if target:
        return redirect(safe_next(target))
    return "", 204


@api_blp.get("/api/v1/me")
@api_blp.response(200, MeSchema)
def me():
    """Get the signed-in user, their roles and the CSRF token for cookie requests."""
    user = auth.require_user()
    return {
        "id": user.id,
        "name": user.name,
        "vneid_level": user.vneid_level,
        "grants": user.grants,
        "csrf_token": auth.csrf_token(),
        "consent_required": privacy.consent_required(user),
    }


@api_blp.get("/api/v1/privacy-notice")
@api_blp.response(200, PrivacyNoticeSchema)
def privacy_notice():
    """Get the privacy notice (what is kept, why, who sees it, one's rights), in Vietnamese."""
    return privacy.NOTICE


@api_blp.post("/api/v1/me/consent")
@limiter.limit(ACCOUNT_LIMIT, key=auth.account_key)
@api_blp.arguments(ConsentSchema)
@api_blp.response(204)
def give_consent(args):
    """Accept the privacy notice of this version (idempotent); recorded with its time."""
    privacy.record_consent(auth.require_user(), version=args["policy_version"])


@api_blp.get("/api/v1/me/data")
@api_blp.response(200)
def my_data():
    """Export every personal record held about the caller."""
    return service.export_data(auth.require_user())


@api_blp.delete("/api/v1/me")
@limiter.limit(ACCOUNT_LIMIT, key=auth.account_key)
@api_blp.response(204)
def erase_me():
    """Erase the caller's personal data; every session and token of theirs stops working."""
    service.erase(auth.require_user())
    auth.forget_session()


@api_blp.delete("/api/v1/me/sessions")
@limiter.limit(ACCOUNT_LIMIT, key=auth.account_key)
@api_blp.response(204)
@api_blp.alt_response(401, description="Chưa đăng nhập")
def sign_out_everywhere():
    """Đăng xuất khỏi mọi thiết bị (Sign out everywhere).

    Every browser session of the caller ends (this one too) and every personal bearer token
    is revoked. An API client's token is refused by the client guard (outside its surface).
    """
    user = auth.require_user()
    service.sign_out_everywhere(user)
    auth.forget_session()


@api_blp.delete("/api/v1/users/<int:user_id>/sessions")
@limiter.limit("60/minute", key=auth.account_key)
@api_blp.response(204)
@api_blp.alt_response(403, description="Không phải quản trị thành phố")
@api_blp.alt_response(404, description="Không tìm thấy tài khoản")
@api_blp.alt_response(409, description="Tài khoản của một ứng dụng")
def revoke_user_sessions(user_id):
    """Chấm dứt mọi phiên đăng nhập và mã truy cập của một tài khoản (quản trị thành phố).

    City admins only (403 for anyone else). Every browser session of the account ends and its
    personal bearer tokens are revoked. An API client's service account is refused (409): its
    client is revoked or deleted instead (Ứng dụng kết nối), so that the client's own record
    says why it stopped working. An erased account answers 204 (it has nothing left to end).
    """
    user = auth.require_user()
    policy.require(policy.can_end_sessions_of_others(user))
    target = service.get_user(user_id)
    if target is None:
        raise NotFound("Không tìm thấy tài khoản này.", code="user_not_found")
    if target.issuer == SERVICE_ACCOUNT_ISSUER:
        raise Conflict(MSG_SERVICE_ACCOUNT, code="service_account")
    service.sign_out_everywhere(target)
    if target.id == user.id:
        auth.forget_session()


MSG_SERVICE_ACCOUNT = (
    "Đây là tài khoản của một ứng dụng kết nối: hãy thu hồi hoặc xóa ứng dụng đó "
    "trong mục Ứng dụng kết nối."
)


@api_blp.post("/api/v1/auth/tokens")
@limiter.limit("20/minute", key=auth.account_key)
@api_blp.response(201, TokenSchema)
def create_token():
    """Issue a short-lived bearer token for an API client.

    The token ends no later than what it was asked for with (the browser session, or a bearer
    token), and ending that session ends it too.
    """
    user = auth.require_user()
    presented, browser = auth.current_token(), auth.current_session()
    if presented is not None:
        session_id, not_after = presented.session_id, presented.expires_at
    elif browser is not None:
        session_id, not_after = browser
    else:
        session_id, not_after = None, None
    raw, expires_in = service.issue_token(user, not_after=not_after, session_id=session_id)
    return {"access_token": raw, "token_type": "Bearer", "expires_in": expires_in}


@api_blp.delete("/api/v1/auth/tokens/current")
@api_blp.response(204)
def revoke_current_token():
    """Revoke the bearer token used for this request."""
    auth.require_user()
    token = auth.current_token()
    if token is None:
        raise NotFound("Yêu cầu này không dùng bearer token.")
    service.revoke_token(token)


@api_blp.get("/api/v1/wards/<ward>/roles")
@api_blp.response(200, GrantListSchema)
def list_ward_roles(ward):
    """List the roles granted within a ward (its admins and city admins)."""
    user = auth.require_user()
    found = wards.get(ward)
    policy.require(policy.is_ward_admin(user, found.code))
    return {"items": service.list_grants(ward_code=found.code), "next_cursor": None}


@api_blp.get("/api/v1/departments/<dept>/roles")
@api_blp.response(200, GrantListSchema)
def list_department_roles(dept):
    """List the roles granted within a department (Danh sách quyền trong sở, ngành)."""
    user = auth.require_user()
    found = departments.get(dept)
    policy.require(policy.is_department_admin(user, found.code))
    return {"items": service.list_grants(department_code=found.code), "next_cursor": None}


MSG_DEPARTMENT_ONLY = (
    "Chỉ vai trò của sở, ngành (quản trị, biên tập viên sở, ngành) mới đi cùng một sở, ngành."
)


@api_blp.post("/api/v1/roles")
@idempotent_create(api_blp)
@api_blp.arguments(GrantCreateSchema)
@api_blp.response(201, GrantSchema(many=True))
def grant_role(args):
    """Grant a role: city admins anywhere, ward or department admins within their own."""
    user = auth.require_user()
    department_code = None
    if args["role"] in policy.DEPARTMENT_ROLES:
        if not args["department"]:
            raise ValidationFailed.on_field(
                "department", "Sở, ngành", "Vai trò này cần một sở, ngành."
            )
        department_code = departments.get(args["department"]).code
    elif args["department"]:
        raise ValidationFailed.on_field("department", "Sở, ngành", MSG_DEPARTMENT_ONLY)
    ward_code = wards.get(args["ward"]).code if args["ward"] and not department_code else None
    if args["role"] == "community_leader" and args["community_id"] is not None:
        ward_code = policy.community_ward(args["community_id"])
        if ward_code is None:
            raise NotFound("Không tìm thấy cộng đồng này.")
    policy.require(
        policy.can_grant(
            user, role=args["role"], ward_code=ward_code, department_code=department_code
        )
    )
    targets = service.find_by_sub(args["sub"])
    if not targets:
        raise NotFound("Người này chưa đăng nhập lần nào.", code="user_not_found")
    return [
        service.grant_role(
            user=target,
            role=args["role"],
            ward_code=ward_code,
            community_id=args["community_id"],
            department_code=department_code,
            granted_by=user,
        )
        for target in targets
    ]


@api_blp.delete("/api/v1/roles/<int:grant_id>")
@api_blp.response(204)
def revoke_role(grant_id):
    """Revoke a grant (same rule as granting)."""
    user = auth.require_user()
    grant = service.get_grant(grant_id)
    allowed = policy.can_grant(
        user, role=grant.role, ward_code=grant.ward_code, department_code=grant.department_code
    )
    if not allowed:
        raise NotFound("Không tìm thấy quyền này.")
    if grant.role == "city_admin" and grant.user_id == user.id:
        # Another city admin must do it, so that the city is never left without one by mistake.
        raise Conflict(
            "Không thể tự thu hồi quyền quản trị thành phố của chính mình.",
            code="cannot_revoke_own_city_admin",
        )
    service.revoke_grant(grant)
