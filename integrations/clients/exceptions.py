"""Domain errors of the API clients module (app/errors.py maps them to HTTP)."""

from app.errors import NotFound


class ClientNotFound(NotFound):
    """No active API client has this client_id."""

    code = "client_not_found"

    def __init__(self) -> None:
        super().__init__("Không tìm thấy ứng dụng (API client) này.")
