"""Domain errors of the wards module (app/errors.py maps them to HTTP)."""

from app.errors import NotFound


class WardNotFound(NotFound):
    """No ward or commune has this code or slug."""

    code = "ward_not_found"

    def __init__(self) -> None:
        super().__init__("Không tìm thấy phường, xã này.")
