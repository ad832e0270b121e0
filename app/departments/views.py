"""Department endpoints: the list and one department (public)."""

from flask_smorest import Blueprint

from app.departments import service
from app.departments.schemas import (
    DepartmentListSchema,
    DepartmentSchema,
    DepartmentSearchArgsSchema,
)
from app.pagination import decode_cursor, page

blp = Blueprint(
    "departments",
    __name__,
    url_prefix="/api/v1/departments",
    description="Sở, ban, ngành của thành phố / The city's departments",
)


@blp.get("")
@blp.arguments(DepartmentSearchArgsSchema, location="query")
@blp.response(200, DepartmentListSchema)
def list_departments(args):
    """List the city's departments, searching with or without diacritics (Danh sách sở, ngành)."""
    cursor = decode_cursor(args["cursor"], shape=(str,))
    after = cursor[0] if cursor else None
    rows = service.search(q=args["q"], limit=args["limit"], after_code=after)
    return page(rows, limit=args["limit"], key=lambda d: [d.code])


@blp.get("/<dept>")
@blp.response(200, DepartmentSchema)
def get_department(dept):
    """Get one department by its code (SKHCN) or its slug (Xem một sở, ban, ngành)."""
    return service.get(dept)
