"""The OpenAPI document's side of API clients: the `oauth2` scheme and each operation's scope.

The scheme (client credentials, `tokenUrl` /oauth/token, the seven scopes in Vietnamese) is
declared through apispec's public `components.security_scheme`. Each operation of the surface
is marked with its scope when the document is served: the surface's endpoints belong to modules
registered before this one, and flask-smorest offers no public hook to amend their operations
once documented, so the served JSON is amended instead (`security` and `x-client-wards`).
The /oauth/* endpoints are described in the scheme (their paths are not under /api/v1, which
the document is kept to, like Open311's) and in docs/integrators/oauth.md.
"""

from __future__ import annotations

import functools
import json
import re

from flask import Flask

from app.extensions import api
from integrations.clients.surface import SCOPE_LABELS, SURFACE

SCHEME = "oauth2"
DOCS_ENDPOINT = "api-docs.openapi_json"
_CONVERTER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def security_scheme() -> dict:
    """Return the `oauth2` security scheme: client credentials and the scopes."""
    return {
        "type": "oauth2",
        "description": (
            "Ứng dụng bên ngoài (API client) do quản trị thành phố đăng ký. Lấy mã truy cập: "
            "`POST /oauth/token` (grant_type=client_credentials, xác thực HTTP Basic bằng "
            "client_id và client_secret; `scope` để thu hẹp phạm vi), mã sống 1 giờ. "
            "Kiểm tra mã: `POST /oauth/introspect` (RFC 7662); thu hồi: `POST /oauth/revoke` "
            "(RFC 7009). Gọi ngoài phạm vi hoặc ngoài các phường, xã được cấp: 403 "
            "`insufficient_scope`. Hướng dẫn: docs/integrators/oauth.md."
        ),
        "flows": {"clientCredentials": {"tokenUrl": "/oauth/token", "scopes": SCOPE_LABELS}},
        "x-introspectionUrl": "/oauth/introspect",
        "x-revocationUrl": "/oauth/revoke",
    }


def openapi_path(rule: str) -> str:
    """Return the OpenAPI path of a Flask rule: `<int:notice_id>` becomes `{notice_id}`."""
    return _CONVERTER.sub(r"{\1}", rule)


def mark_operations(app: Flask, document: dict) -> dict:
    """Mark each operation of the surface with the scope a client needs (in place; returned)."""
    paths = document.get("paths", {})
    for endpoint, surface_rule in SURFACE.items():
        for rule in app.url_map.iter_rules(endpoint) if endpoint in app.view_functions else ():
            operations = paths.get(openapi_path(rule.rule))
            if not operations:
                continue  # not in the document (Open311)
            for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}:
                operation = operations.get(method.lower())
                if operation is None:
                    continue
                scopes = [surface_rule.scope] if surface_rule.scope else []
                # A person's token or session works as before; a client needs the scope.
                operation["security"] = [{SCHEME: scopes}, {"bearer": []}, {"session": []}, {}]
                operation["x-client-wards"] = surface_rule.ward.__doc__ or ""
    return document


def init_app(app: Flask) -> None:
    """Declare the scheme, and mark the surface's operations in the served document.

    The document's view is wrapped (Flask's `view_functions`), so that only requests for the
    document pay for the marking: no hook runs on every request.
    """
    api.spec.components.security_scheme(SCHEME, security_scheme())
    served = app.view_functions[DOCS_ENDPOINT]

    @functools.wraps(served)
    def openapi_json(*args, **kwargs):
        response = app.make_response(served(*args, **kwargs))
        if response.status_code == 200:
            document = mark_operations(app, json.loads(response.get_data(as_text=True)))
            response.set_data(json.dumps(document, ensure_ascii=False, indent=2))
        return response

    app.view_functions[DOCS_ENDPOINT] = openapi_json
