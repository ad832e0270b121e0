"""Domain errors of the departments module (app/errors.py maps them to HTTP)."""

from app.errors import NotFound


class DepartmentNotFound(NotFound):
    """No department has this code or slug."""

    code = "department_not_found"

    def __init__(self) -> None:
        super().__init__("Không tìm thấy sở, ban, ngành này.")
