"""The request guard: an API client's token reaches only the surface, in its scopes and wards.

Runs before every view. A request without a client's token (anonymous, a person's bearer token
or session) passes untouched. A client's token is refused with `403 insufficient_scope` (and
RFC 6750's `WWW-Authenticate: Bearer error="insufficient_scope"`) on an endpoint outside
`surface.SURFACE`, without the endpoint's scope, or for a ward outside its wards. The views'
own permission checks run afterwards, as for anyone.
"""

from __future__ import annotations

from flask import Flask, Response, request

from app.database import utcnow
from app.errors import error_response
from app.extensions import db
from app.identity import policy
from app.identity import service as identity
from app.identity.models import ApiToken
from integrations.clients import surface

CODE = "insufficient_scope"
MSG_OUTSIDE = "Ứng dụng (API client) không được gọi địa chỉ này."
MSG_EVERY_WARD = (
    "Ứng dụng chỉ được cấp quyền với một số phường, xã: hãy chỉ rõ phường, xã (tham số ward)."
)


def _has_client_bearer() -> bool:
    """Tell whether the request carries a client's bearer token (by its prefix: no query, so a
    person's request costs nothing more)."""
    header = request.headers.get("Authorization", "")
    return header[:7].lower() == "bearer " and header[7:].strip().startswith(
        identity.CLIENT_TOKEN_PREFIX
    )


def _form_token_grant(field: str) -> policy.ClientGrant | None:
    """Return the grant of a valid token sent in a form field (Open311's `api_key`)."""
    raw = (request.form.get(field) or "").strip()
    if not raw.startswith(identity.CLIENT_TOKEN_PREFIX):
        return None  # no token, or a person's
    credential = identity.Credential.bearer(raw, utcnow())
    token = db.session.scalar(identity.caller_select(credential.kind, ApiToken), credential.params)
    return policy.grant_of(token)


def refuse(message: str, scope: str | None = None, details: dict | None = None) -> Response:
    """Answer 403 insufficient_scope, with RFC 6750's challenge naming the scope needed."""
    response, status = error_response(403, CODE, message, {"scope": scope, **(details or {})})
    challenge = f'Bearer error="{CODE}"'
    if scope:
        challenge += f', scope="{scope}"'
    response.headers["WWW-Authenticate"] = challenge
    return response, status


def check(grant: policy.ClientGrant, rule: surface.Rule | None) -> tuple | None:
    """Return the refusal of a call by a client holding `grant`, or None when it may go on."""
    if rule is None:
        return refuse(MSG_OUTSIDE)
    if rule.scope is not None and rule.scope not in grant.scopes:
        label = surface.SCOPE_LABELS[rule.scope]
        return refuse(
            f"Ứng dụng chưa được cấp phạm vi «{rule.scope}» ({label.lower()}).", rule.scope
        )
    if grant.wards is None:
        return None  # every ward: nothing to look up
    target = rule.ward()
    if target is surface.NO_WARD or target is surface.MISSING:
        return None
    if target is surface.EVERY:
        return refuse(MSG_EVERY_WARD, rule.scope)
    outside = sorted(code for code in target if not grant.covers(code))
    if outside:
        return refuse(
            "Ứng dụng không được cấp quyền với phường, xã mã " + ", ".join(outside) + ".",
            rule.scope,
            {"wards": outside},
        )
    return None


def init_app(app: Flask) -> None:
    """Register the guard before every view."""

    @app.before_request
    def _guard_client_tokens():
        endpoint = request.endpoint
        if endpoint is None or request.routing_exception is not None:
            return None  # no such path: 404 or 405 as for anyone
        if endpoint in surface.OAUTH_ENDPOINTS:
            return None
        rule = surface.SURFACE.get(endpoint)
        grants = []
        if _has_client_bearer():
            grants.append(policy.client_grant())
        if rule is not None and rule.caller_field and request.method == "POST":
            grants.append(_form_token_grant(rule.caller_field))
        for grant in grants:
            if grant is not None:
                refusal = check(grant, rule)
                if refusal is not None:
                    return refusal
        return None
