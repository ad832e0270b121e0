"""Endpoints of API clients: a city admin registers, lists and deletes them."""

from flask_smorest import Blueprint

from app.idempotency import idempotent_create
from app.identity import auth
from app.identity.policy import is_city_admin, require
from integrations.clients import service
from integrations.clients.models import ApiClient
from integrations.clients.schemas import (
    ClientCreatedSchema,
    ClientCreateSchema,
    ClientListSchema,
    ClientSchema,
)

blp = Blueprint(
    "clients",
    __name__,
    description="Ứng dụng bên ngoài (API client, OAuth 2.0) / API clients",
)

CITY_ONLY = "Chỉ quản trị thành phố mới quản lý được ứng dụng bên ngoài (API client)."


def _require_city_admin() -> None:
    """Refuse anyone but a city admin (401 when not signed in)."""
    require(is_city_admin(auth.require_user()), CITY_ONLY)


def _client_out(client: ApiClient) -> dict:
    return {
        "client_id": client.client_id,
        "name": client.name,
        "scopes": client.scope_list,
        "wards": client.ward_list,
        "created_at": client.created_at,
        "created_by": client.created_by.name if client.created_by else None,
    }


@blp.post("/api/v1/clients")
@idempotent_create(blp)
@blp.arguments(ClientCreateSchema)
@blp.response(201, ClientCreatedSchema)
def create_client(args):
    """Register an API client (city admins): the answer holds its secret, shown this once.

    Unknown scopes or wards are 422, each named. The client gets its token with
    `POST /oauth/token` (client credentials, HTTP Basic). An Idempotency-Key replays the same
    answer, secret included, to the same admin only, for 48 hours.
    """
    _require_city_admin()
    registered = service.create(created_by=auth.current_user(), **args)
    return {**_client_out(registered.client), "client_secret": registered.secret}


@blp.get("/api/v1/clients")
@blp.response(200, ClientListSchema)
def list_clients():
    """List the API clients (city admins), newest first; secrets are never shown again."""
    _require_city_admin()
    return {"items": [_client_out(c) for c in service.list_active()]}


@blp.get("/api/v1/clients/<client_id>")
@blp.response(200, ClientSchema)
def get_client(client_id):
    """Get an API client (city admins)."""
    _require_city_admin()
    return _client_out(service.get(client_id))


@blp.delete("/api/v1/clients/<client_id>")
@blp.response(204)
def delete_client(client_id):
    """Delete an API client (city admins): its tokens stop working at once."""
    _require_city_admin()
    service.delete(service.get(client_id))
