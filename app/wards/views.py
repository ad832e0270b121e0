"""Ward endpoints."""

from flask_smorest import Blueprint

from app.pagination import decode_cursor, page
from app.wards import service
from app.wards.schemas import WardListSchema, WardSchema, WardSearchArgsSchema

blp = Blueprint("wards", __name__, url_prefix="/api/v1/wards", description="Phường, xã")


@blp.get("")
@blp.arguments(WardSearchArgsSchema, location="query")
@blp.response(200, WardListSchema)
def list_wards(args):
    """List the 126 wards and communes, searching names with or without diacritics."""
    cursor = decode_cursor(args["cursor"], shape=(str,))
    after = cursor[0] if cursor else None
    rows = service.search(q=args["q"], limit=args["limit"], after_code=after)
    return page(rows, limit=args["limit"], key=lambda w: [w.code])


@blp.get("/<ward>")
@blp.response(200, WardSchema)
def get_ward(ward):
    """Get one ward by its official code or its slug."""
    return service.get_public(ward)
