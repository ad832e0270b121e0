"""Chợ 4.0 endpoints: zones, merchants, products, payment codes, posters and the zone report."""

from urllib.parse import urlencode

from flask import current_app, request
from flask_smorest import Blueprint

from app import qr
from app.apidoc import json_or_csv
from app.idempotency import idempotent_create
from app.identity import auth, policy
from app.identity.models import User
from app.pagination import decode_id_cursor, page
from app.spreadsheet import attachment
from app.wards import service as wards
from miniapps.market import permissions, poster, report, service
from miniapps.market.banks import get_bank, list_banks
from miniapps.market.exceptions import MerchantNotFound, ProductNotFound
from miniapps.market.models import (
    MERCHANT_STATUS_LABELS,
    ZONE_KIND_LABELS,
    MarketZone,
    Merchant,
)
from miniapps.market.schemas import (
    BankListSchema,
    MerchantCreateSchema,
    MerchantListSchema,
    MerchantSchema,
    MerchantSearchArgsSchema,
    MerchantUpdateSchema,
    MyMerchantArgsSchema,
    PaymentQrArgsSchema,
    PaymentQrImageArgsSchema,
    PaymentQrSchema,
    PosterArgsSchema,
    ProductCreateSchema,
    ProductSchema,
    ProductUpdateSchema,
    ReasonSchema,
    ReportArgsSchema,
    SupportFlagsSchema,
    ZoneCreateSchema,
    ZoneListSchema,
    ZoneReportSchema,
    ZoneSchema,
    ZoneSearchArgsSchema,
)

blp = Blueprint("market", __name__, description="Chợ 4.0: tuyến phố số, chợ, hộ kinh doanh")


def _binary(content_type: str, description: str, **more) -> dict:
    """Document a non-JSON success body in the OpenAPI spec."""
    body = {"schema": {"type": "string", "format": "binary"}}
    return {"description": description, "content": {content_type: body, **more}}


# Presenting


def _ward_ref(ward) -> dict:
    return {"code": ward.code, "name": ward.name, "slug": ward.slug}


def _zone_ref(zone: MarketZone) -> dict:
    return {
        "id": zone.id,
        "name": zone.name,
        "kind": zone.kind,
        "kind_label": ZONE_KIND_LABELS[zone.kind],
    }


def _zone_view(zone: MarketZone) -> dict:
    return {
        **_zone_ref(zone),
        "ward": _ward_ref(zone.ward),
        "location": zone.location,
        "created_at": zone.created_at,
    }


def merchant_page_url(merchant: Merchant) -> str:
    """Return the merchant's public page in the ward's miniapp, on the host of this request."""
    return f"{request.host_url.rstrip('/')}/w/{merchant.zone.ward.slug}/merchants/{merchant.id}"


def _duplicate_view(duplicate: service.Duplicate) -> dict:
    other = duplicate.merchant
    return {
        "id": other.id,
        "name": other.name,
        "stall": other.stall,
        "zone": _zone_ref(other.zone),
        "status": other.status,
        "status_label": MERCHANT_STATUS_LABELS[other.status],
        "same_account": duplicate.same_account,
        "same_stall": duplicate.same_stall,
        "message": duplicate.message,
    }


def _merchant_view(merchant: Merchant, user: User | None, duplicates: list | None = None) -> dict:
    """Show a merchant: the public storefront, plus the private part to its owner and staff.

    Staff also get `duplicates`: pass those found for a list (`_merchant_views`), or they are
    looked up for this one merchant.
    """
    bank = get_bank(merchant.bank_bin)
    view = {
        "id": merchant.id,
        "zone": _zone_ref(merchant.zone),
        "ward": _ward_ref(merchant.zone.ward),
        "name": merchant.name,
        "stall": merchant.stall,
        "category": merchant.category,
        "opening_hours": merchant.opening_hours,
        "status": merchant.status,
        "status_label": MERCHANT_STATUS_LABELS[merchant.status],
        "bank": {
            "bin": merchant.bank_bin,
            "label": bank.label if bank else merchant.bank_bin,
            "name": bank.name if bank else merchant.bank_bin,
        },
        "account_number_masked": service.mask_account(merchant.account_number),
        "account_name": merchant.account_name,
        "products": merchant.products,
        "public_url": merchant_page_url(merchant),
    }
    if permissions.can_see_private_details(user, merchant):
        view.update(
            phone=merchant.phone,
            account_number=merchant.account_number,
            status_reason=merchant.status_reason,
            verified_at=merchant.verified_at,
            etax_supported=merchant.etax_supported,
            einvoice_supported=merchant.einvoice_supported,
            sales_software=merchant.sales_software,
            is_owner=permissions.is_merchant_owner(user, merchant),
            can_edit=permissions.can_edit_merchant(user, merchant),
            can_manage=permissions.can_manage_merchant(user, merchant),
            created_at=merchant.created_at,
        )
    if permissions.can_see_duplicates(user, merchant):
        if duplicates is None:
            duplicates = service.find_duplicates([merchant])[merchant.id]
        view["duplicates"] = [_duplicate_view(d) for d in duplicates]
    return view


def _merchant_views(merchants: list[Merchant], user: User | None) -> list[dict]:
    """Show a page of merchants, with staff's duplicate warnings found in one query."""
    warned = [m for m in merchants if permissions.can_see_duplicates(user, m)]
    found = service.find_duplicates(warned)
    return [_merchant_view(m, user, found.get(m.id)) for m in merchants]


# Access


def _visible_merchant(user: User | None, merchant_id: int, *, for_update: bool = False) -> Merchant:
    """Return the merchant if the user may see it; otherwise 404, whether it exists or not."""
    merchant = service.get_merchant(merchant_id, for_update=for_update)
    if not permissions.can_see_merchant(user, merchant):
        raise MerchantNotFound("Không tìm thấy cửa hàng này.")
    return merchant


MSG_EDIT_FORBIDDEN = "Chỉ chủ cửa hàng hoặc cán bộ phường có khu này mới được sửa cửa hàng."


def _editable_merchant(merchant_id: int) -> tuple[User, Merchant]:
    """Return the caller and a merchant they may edit, its row locked (404 if invisible, 403)."""
    user = auth.require_user()
    merchant = _visible_merchant(user, merchant_id, for_update=True)
    policy.require(permissions.can_edit_merchant(user, merchant), MSG_EDIT_FORBIDDEN)
    return user, merchant


def _managed_merchant(merchant_id: int) -> tuple[User, Merchant]:
    """Return the caller and a merchant of their ward, its row locked (404 if invisible, 403)."""
    user = auth.require_user()
    merchant = _visible_merchant(user, merchant_id, for_update=True)
    policy.require(
        permissions.can_manage_merchant(user, merchant),
        "Chỉ cán bộ của phường có khu này mới được thực hiện thao tác này.",
    )
    return user, merchant


# Banks

BANK_LIST_MAX_AGE = 3600  # the list ships with the code: it changes only with a deploy


@blp.get("/api/v1/banks")
@blp.response(200, BankListSchema)
def banks():
    """List the banks a payment account may be held at (BIN, short name, legal name)."""
    return {
        "items": [
            {"bin": b.bin, "short_name": b.short_name, "label": b.label, "name": b.name}
            for b in list_banks()
        ],
        "next_cursor": None,
    }, {"Cache-Control": f"public, max-age={BANK_LIST_MAX_AGE}"}


# Zones


@blp.get("/api/v1/wards/<ward>/market-zones")
@blp.arguments(ZoneSearchArgsSchema, location="query")
@blp.response(200, ZoneListSchema)
def list_zones(args, ward):
    """List a ward's digital streets and markets."""
    found = wards.get(ward)
    rows = service.list_zones(
        ward_code=found.code,
        q=args["q"],
        limit=args["limit"],
        after_id=decode_id_cursor(args["cursor"]),
    )
    result = page(rows, limit=args["limit"], key=lambda zone: [zone.id])
    result["items"] = [_zone_view(zone) for zone in result["items"]]
    return result


@blp.post("/api/v1/wards/<ward>/market-zones")
@idempotent_create(blp)
@blp.arguments(ZoneCreateSchema)
@blp.response(201, ZoneSchema)
def create_zone(args, ward):
    """Open a digital street or a market in the ward (ward staff)."""
    user = auth.require_user()
    found = wards.get(ward)
    policy.require(permissions.can_create_zone(user, found.code))
    return _zone_view(service.create_zone(ward_code=found.code, **args))


@blp.get("/api/v1/market-zones/<int:zone_id>")
@blp.response(200, ZoneSchema)
def get_zone(zone_id):
    """Get a market zone."""
    return _zone_view(service.get_zone(zone_id))


@blp.get("/api/v1/market-zones/<int:zone_id>/report")
@blp.arguments(ReportArgsSchema, location="query")
@blp.response(200, ZoneReportSchema)
@blp.doc(
    **json_or_csv(
        ZoneReportSchema,
        "The report: JSON, or with ?format=csv a CSV in UTF-8 with a BOM (opens in Excel), "
        "Vietnamese headers and labels",
    )
)
def zone_report(args, zone_id):
    """Report on the zone's merchants: verified, codes, products, OCOP, support (ward staff)."""
    user = auth.require_user()
    zone = service.get_zone(zone_id)
    policy.require(permissions.can_read_report(user, zone))
    result = service.zone_report(zone)
    if args["format"] == "csv":
        response = current_app.response_class(
            report.to_csv(result),
            mimetype="text/csv",
            headers=attachment(f"bao-cao-khu-{zone.id}.csv"),
        )
        response.headers["Content-Type"] = "text/csv; charset=utf-8"
        return response
    result["zone"] = _zone_ref(zone)
    result["ward"] = _ward_ref(zone.ward)
    return result


# Merchants


@blp.get("/api/v1/market-zones/<int:zone_id>/merchants")
@blp.arguments(MerchantSearchArgsSchema, location="query")
@blp.response(200, MerchantListSchema)
def list_merchants(args, zone_id):
    """List a zone's verified merchants, searching name and category without diacritics too."""
    user = auth.current_user()
    zone = service.get_zone(zone_id)
    status = args["status"] or "verified"
    if status != "verified":
        policy.require(
            permissions.can_list_by_status(user, zone),
            "Chỉ cán bộ phường mới xem được cửa hàng chưa được xác minh.",
        )
    rows = service.list_merchants(
        zone=zone,
        status=status,
        q=args["q"],
        limit=args["limit"],
        after_id=decode_id_cursor(args["cursor"]),
    )
    result = page(rows, limit=args["limit"], key=lambda merchant: [merchant.id])
    result["items"] = _merchant_views(result["items"], user)
    return result


@blp.post("/api/v1/market-zones/<int:zone_id>/merchants")
@idempotent_create(blp)
@blp.arguments(MerchantCreateSchema)
@blp.response(201, MerchantSchema)
def register_merchant(args, zone_id):
    """Register the caller's own stall in the zone; it waits for the ward's verification."""
    user = auth.require_user()
    zone = service.get_zone(zone_id)
    merchant = service.register_merchant(zone=zone, owner=user, data=args)
    return _merchant_view(merchant, user)


@blp.get("/api/v1/me/merchants")
@blp.arguments(MyMerchantArgsSchema, location="query")
@blp.response(200, MerchantListSchema)
def my_merchants(args):
    """List the caller's own merchants in every status, with their private details."""
    user = auth.require_user()
    rows = service.list_owned_merchants(
        owner=user, limit=args["limit"], after_id=decode_id_cursor(args["cursor"])
    )
    result = page(rows, limit=args["limit"], key=lambda merchant: [merchant.id])
    result["items"] = _merchant_views(result["items"], user)
    return result


@blp.get("/api/v1/merchants/<int:merchant_id>")
@blp.response(200, MerchantSchema)
def get_merchant(merchant_id):
    """Get a merchant's storefront (unverified ones: their owner and the ward's staff only)."""
    user = auth.current_user()
    return _merchant_view(_visible_merchant(user, merchant_id), user)


@blp.patch("/api/v1/merchants/<int:merchant_id>")
@blp.arguments(MerchantUpdateSchema)
@blp.response(200, MerchantSchema)
def update_merchant(args, merchant_id):
    """Edit a merchant (its owner or the ward's staff); new payment details need verifying."""
    user, merchant = _editable_merchant(merchant_id)
    updated = service.update_merchant(merchant, changes=args, by_owner=merchant.owner_id == user.id)
    return _merchant_view(updated, user)


@blp.post("/api/v1/merchants/<int:merchant_id>/verify")
@blp.response(200, MerchantSchema)
def verify_merchant(merchant_id):
    """Verify a merchant, or reinstate a suspended one (staff of the zone's ward)."""
    user, merchant = _managed_merchant(merchant_id)
    return _merchant_view(service.verify_merchant(merchant, staff=user), user)


@blp.post("/api/v1/merchants/<int:merchant_id>/suspend")
@blp.arguments(ReasonSchema)
@blp.response(200, MerchantSchema)
def suspend_merchant(args, merchant_id):
    """Suspend a verified merchant with a reason shown to its owner (staff of the zone's ward)."""
    user, merchant = _managed_merchant(merchant_id)
    return _merchant_view(service.suspend_merchant(merchant, reason=args["reason"]), user)


@blp.post("/api/v1/merchants/<int:merchant_id>/reject")
@blp.arguments(ReasonSchema)
@blp.response(200, MerchantSchema)
def reject_merchant(args, merchant_id):
    """Reject a registration with a reason shown to its owner (staff of the zone's ward)."""
    user, merchant = _managed_merchant(merchant_id)
    return _merchant_view(service.reject_merchant(merchant, reason=args["reason"]), user)


@blp.patch("/api/v1/merchants/<int:merchant_id>/support")
@blp.arguments(SupportFlagsSchema)
@blp.response(200, MerchantSchema)
def set_support_flags(args, merchant_id):
    """Tick the support given to the business: eTax, e-invoices, sales software (ward staff)."""
    user, merchant = _managed_merchant(merchant_id)
    return _merchant_view(service.set_support_flags(merchant, flags=args), user)


# Products


@blp.post("/api/v1/merchants/<int:merchant_id>/products")
@idempotent_create(blp)
@blp.arguments(ProductCreateSchema)
@blp.response(201, ProductSchema)
def add_product(args, merchant_id):
    """Add a product to a merchant (its owner or the ward's staff)."""
    _user, merchant = _editable_merchant(merchant_id)
    return service.add_product(merchant, data=args)


def _editable_product(product_id: int):
    """Return a product the caller may edit (404 if its merchant is invisible, 403)."""
    user = auth.require_user()
    product = service.get_product(product_id)
    if not permissions.can_see_merchant(user, product.merchant):
        raise ProductNotFound("Không tìm thấy sản phẩm này.")
    policy.require(permissions.can_edit_merchant(user, product.merchant), MSG_EDIT_FORBIDDEN)
    return product


@blp.patch("/api/v1/products/<int:product_id>")
@blp.arguments(ProductUpdateSchema)
@blp.response(200, ProductSchema)
def update_product(args, product_id):
    """Change a product (the merchant's owner or the ward's staff)."""
    return service.update_product(_editable_product(product_id), changes=args)


@blp.delete("/api/v1/products/<int:product_id>")
@blp.response(204)
def delete_product(product_id):
    """Remove a product (the merchant's owner or the ward's staff)."""
    service.delete_product(_editable_product(product_id))


# Payment codes and posters


def _code(merchant_id: int, args: dict) -> service.PaymentCode:
    """Return the payment code of a verified merchant (404 for any other)."""
    merchant = service.get_merchant(merchant_id)
    return service.payment_code(merchant, amount=args["amount"], purpose=args["purpose"])


def _image_url(code: service.PaymentCode, extension: str) -> str:
    params = {k: v for k, v in (("amount", code.amount), ("purpose", code.purpose)) if v}
    query = f"?{urlencode(params)}" if params else ""
    return f"/api/v1/merchants/{code.merchant.id}/payment-qr.{extension}{query}"


@blp.get("/api/v1/merchants/<int:merchant_id>/payment-qr")
@blp.arguments(PaymentQrArgsSchema, location="query")
@blp.response(200, PaymentQrSchema)
def payment_qr(args, merchant_id):
    """Get a verified merchant's VietQR payment code (dynamic with an amount, else static)."""
    code = _code(merchant_id, args)
    return {
        "payload": code.payload,
        "dynamic": code.dynamic,
        "amount": code.amount,
        "purpose": code.purpose,
        "bank": {"bin": code.bank.bin, "label": code.bank.label, "name": code.bank.name},
        "account_number_masked": service.mask_account(code.merchant.account_number),
        "account_name": code.merchant.account_name,
        "merchant_id": code.merchant.id,
        "merchant_name": code.merchant.name,
        "png_url": _image_url(code, "png"),
        "svg_url": _image_url(code, "svg"),
    }


def _image_response(payload: str, *, kind: str, scale: int):
    """Answer with a cached image of the payload, or 304 when the client has it already."""
    tag = qr.etag(payload, kind=kind, scale=scale)
    if request.if_none_match.contains(tag):
        response = current_app.response_class(status=304)
    else:
        body = qr.png(payload, scale) if kind == "png" else qr.svg(payload, scale)
        mimetype = "image/png" if kind == "png" else "image/svg+xml"
        response = current_app.response_class(body, mimetype=mimetype)
    response.set_etag(tag)
    # The URL's image changes when the merchant's account or status does: revalidate each time.
    response.headers["Cache-Control"] = "public, no-cache"
    return response


@blp.get("/api/v1/merchants/<int:merchant_id>/payment-qr.png")
@blp.arguments(PaymentQrImageArgsSchema, location="query")
@blp.response(200)
@blp.doc(responses={"200": _binary("image/png", "The payment code as a PNG image")})
def payment_qr_png(args, merchant_id):
    """Get a verified merchant's payment code as a PNG image (strong ETag, 304)."""
    payload = service.payment_payload(merchant_id, amount=args["amount"], purpose=args["purpose"])
    return _image_response(payload, kind="png", scale=args["scale"])


@blp.get("/api/v1/merchants/<int:merchant_id>/payment-qr.svg")
@blp.arguments(PaymentQrImageArgsSchema, location="query")
@blp.response(200)
@blp.doc(responses={"200": _binary("image/svg+xml", "The payment code as SVG")})
def payment_qr_svg(args, merchant_id):
    """Get a verified merchant's payment code as an SVG image (strong ETag, 304)."""
    payload = service.payment_payload(merchant_id, amount=args["amount"], purpose=args["purpose"])
    return _image_response(payload, kind="svg", scale=args["scale"])


@blp.get("/api/v1/merchants/<int:merchant_id>/poster.pdf")
@blp.arguments(PosterArgsSchema, location="query")
@blp.response(200)
@blp.doc(responses={"200": _binary("application/pdf", "A printable A5 or A6 poster")})
def payment_poster(args, merchant_id):
    """Get a printable poster of a verified merchant's payment code (A5 or A6)."""
    code = _code(merchant_id, args)
    body = poster.render(code=code, page_url=merchant_page_url(code.merchant), size=args["size"])
    response = current_app.response_class(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'inline; filename="ma-qr-cua-hang-{code.merchant.id}-{args["size"].lower()}.pdf"'
    )
    response.headers["Cache-Control"] = "private, no-cache"
    return response
