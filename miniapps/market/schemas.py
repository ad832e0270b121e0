"""Shapes of the market API: what it accepts (checked here) and what it answers."""

from marshmallow import Schema, fields, validate

from app.fields import LocalDateTime, label_field
from app.pagination import PageArgsSchema
from miniapps.market import qr
from miniapps.market.models import (
    MERCHANT_STATUS_LABELS,
    MERCHANT_STATUSES,
    PRICE_MAX,
    ZONE_KINDS,
)
from miniapps.market.vietqr import AMOUNT_MAX, AMOUNT_MIN

_PHONE = validate.Regexp(r"^\+?[0-9]{8,15}$", error="Số điện thoại chỉ gồm 8 đến 15 chữ số.")
_BIN = validate.Regexp(r"^[0-9]{6}$", error="Mã BIN ngân hàng phải gồm đúng 6 chữ số.")
_ACCOUNT = validate.Regexp(
    r"^[A-Za-z0-9]{1,19}$",
    error="Số tài khoản gồm 1 đến 19 chữ số hoặc chữ cái không dấu, không có khoảng trắng.",
)


def _text(max_length: int, **kwargs) -> fields.String:
    """A trimmed-length text field of 1 to max_length characters."""
    return fields.String(validate=validate.Length(min=1, max=max_length), **kwargs)


# Zones


class ZoneCreateSchema(Schema):
    """A new market zone of the ward."""

    name = _text(200, required=True)
    kind = fields.String(required=True, validate=validate.OneOf(ZONE_KINDS))
    location = _text(300, load_default=None, allow_none=True)


class ZoneSearchArgsSchema(PageArgsSchema):
    """`?q=&limit=&cursor=` of the ward's zones."""

    q = fields.String(load_default=None, validate=validate.Length(max=100))


class WardRefSchema(Schema):
    """The ward a zone belongs to."""

    code = fields.String()
    name = fields.String()
    slug = fields.String()


class ZoneSchema(Schema):
    """A market zone."""

    id = fields.Integer()
    ward = fields.Nested(WardRefSchema)
    name = fields.String()
    kind = fields.String(metadata={"enum": list(ZONE_KINDS)})
    location = fields.String(allow_none=True)
    created_at = LocalDateTime()


class ZoneListSchema(Schema):
    """A page of market zones."""

    items = fields.List(fields.Nested(ZoneSchema))
    next_cursor = fields.String(allow_none=True)


# Products


class ProductCreateSchema(Schema):
    """A product: name, price in whole đồng, OCOP stars (3 to 5) if rated."""

    name = _text(120, required=True)
    price = fields.Integer(
        required=True, strict=True, validate=validate.Range(min=0, max=PRICE_MAX)
    )
    ocop_stars = fields.Integer(
        load_default=None, allow_none=True, strict=True, validate=validate.Range(min=3, max=5)
    )


class ProductUpdateSchema(Schema):
    """Changes to a product (only the fields sent)."""

    name = _text(120)
    price = fields.Integer(strict=True, validate=validate.Range(min=0, max=PRICE_MAX))
    ocop_stars = fields.Integer(allow_none=True, strict=True, validate=validate.Range(min=3, max=5))


class ProductSchema(Schema):
    """A product as shown."""

    id = fields.Integer()
    name = fields.String()
    price = fields.Integer()
    ocop_stars = fields.Integer(allow_none=True)


# Merchants


class MerchantCreateSchema(Schema):
    """A resident registers their own stall; it waits for the ward's verification."""

    name = _text(120, required=True)
    stall = _text(120, required=True)
    category = _text(80, load_default=None, allow_none=True)
    opening_hours = _text(120, load_default=None, allow_none=True)
    phone = fields.String(load_default=None, allow_none=True, validate=_PHONE)
    bank_bin = fields.String(required=True, validate=_BIN)
    account_number = fields.String(required=True, validate=_ACCOUNT)
    account_name = _text(70, required=True)
    products = fields.List(
        fields.Nested(ProductCreateSchema), load_default=list, validate=validate.Length(max=100)
    )


class MerchantUpdateSchema(Schema):
    """Changes the owner makes (only the fields sent)."""

    name = _text(120)
    stall = _text(120)
    category = _text(80, allow_none=True)
    opening_hours = _text(120, allow_none=True)
    phone = fields.String(allow_none=True, validate=_PHONE)
    bank_bin = fields.String(validate=_BIN)
    account_number = fields.String(validate=_ACCOUNT)
    account_name = _text(70)


class MerchantSearchArgsSchema(PageArgsSchema):
    """`?q=&status=&limit=&cursor=` of a zone's directory (status: ward staff only)."""

    q = fields.String(load_default=None, validate=validate.Length(max=100))
    status = fields.String(load_default=None, validate=validate.OneOf(MERCHANT_STATUSES))


class ReasonSchema(Schema):
    """Why staff suspend or reject a merchant."""

    reason = _text(300, required=True)


class SupportFlagsSchema(Schema):
    """The support the ward gave the business (only the flags sent)."""

    etax_supported = fields.Boolean()
    einvoice_supported = fields.Boolean()
    sales_software = fields.Boolean()


class BankSchema(Schema):
    """The bank of a payment account."""

    bin = fields.String()
    label = fields.String()
    name = fields.String()


class BankListItemSchema(Schema):
    """A bank a merchant may choose for their payment account."""

    bin = fields.String(metadata={"example": "970436"})
    short_name = fields.String(allow_none=True, metadata={"example": "Vietcombank"})
    label = fields.String(
        metadata={"example": "Vietcombank", "description": "Short name, else the legal name."}
    )
    name = fields.String(
        metadata={"example": "Ngân hàng TMCP Ngoại thương Việt Nam", "description": "Legal name."}
    )


class BankListSchema(Schema):
    """Every bank of the shipped BIN list, in BIN order (one page: `next_cursor` is null)."""

    items = fields.List(fields.Nested(BankListItemSchema))
    next_cursor = fields.String(allow_none=True)


class MyMerchantArgsSchema(PageArgsSchema):
    """`?limit=&cursor=` of the caller's merchants."""


class ZoneRefSchema(Schema):
    """The zone of a merchant."""

    id = fields.Integer()
    name = fields.String()
    kind = fields.String()


class MerchantSchema(Schema):
    """A merchant. Phone, full account number, status reason and support flags are shown to
    its owner and the ward's staff only."""

    id = fields.Integer()
    zone = fields.Nested(ZoneRefSchema)
    ward = fields.Nested(WardRefSchema)
    name = fields.String()
    stall = fields.String()
    category = fields.String(allow_none=True)
    opening_hours = fields.String(allow_none=True)
    status = fields.String(metadata={"enum": list(MERCHANT_STATUSES)})
    status_label = label_field(MERCHANT_STATUS_LABELS, of="status")
    bank = fields.Nested(BankSchema)
    account_number_masked = fields.String()
    account_name = fields.String()
    products = fields.List(fields.Nested(ProductSchema))
    public_url = fields.String()
    # Private part.
    phone = fields.String(allow_none=True)
    account_number = fields.String()
    status_reason = fields.String(allow_none=True)
    verified_at = LocalDateTime(allow_none=True)
    etax_supported = fields.Boolean()
    einvoice_supported = fields.Boolean()
    sales_software = fields.Boolean()
    is_owner = fields.Boolean()
    created_at = LocalDateTime()


class MerchantListSchema(Schema):
    """A page of merchants."""

    items = fields.List(fields.Nested(MerchantSchema))
    next_cursor = fields.String(allow_none=True)


# Payment codes, posters, report


class PaymentQrArgsSchema(Schema):
    """`?amount=&purpose=` of a payment code (purpose: at most 25 characters once folded)."""

    amount = fields.Integer(
        load_default=None,
        validate=validate.Range(
            min=AMOUNT_MIN, max=AMOUNT_MAX, error="Số tiền phải từ 1 đến 9.999.999.999 đồng."
        ),
    )
    purpose = fields.String(load_default=None, validate=validate.Length(max=200))


class PaymentQrImageArgsSchema(PaymentQrArgsSchema):
    """The same, with `scale` (pixels per module) for the image."""

    scale = fields.Integer(
        load_default=qr.DEFAULT_SCALE,
        validate=validate.Range(min=qr.MIN_SCALE, max=qr.MAX_SCALE),
    )


class PosterArgsSchema(PaymentQrArgsSchema):
    """`?size=A5|A6&amount=&purpose=` of a poster."""

    size = fields.String(load_default="A5", validate=validate.OneOf(["A5", "A6"]))


class PaymentQrSchema(Schema):
    """A VietQR payment code as text, with what a cashier may want to show beside it."""

    payload = fields.String(metadata={"description": "The VietQR (EMVCo) string"})
    dynamic = fields.Boolean()
    amount = fields.Integer(allow_none=True)
    purpose = fields.String(allow_none=True)
    bank = fields.Nested(BankSchema)
    account_number_masked = fields.String()
    account_name = fields.String()
    merchant_id = fields.Integer()
    merchant_name = fields.String()
    png_url = fields.String()
    svg_url = fields.String()


class ReportArgsSchema(Schema):
    """`?format=json|csv` of the zone report."""

    format = fields.String(load_default="json", validate=validate.OneOf(["json", "csv"]))


class ZoneReportSchema(Schema):
    """How the zone's digital-market model works: counts of merchants."""

    zone = fields.Nested(ZoneRefSchema)
    ward = fields.Nested(WardRefSchema)
    merchants_total = fields.Integer()
    pending = fields.Integer()
    verified = fields.Integer()
    suspended = fields.Integer()
    rejected = fields.Integer()
    with_payment_qr = fields.Integer()
    with_products = fields.Integer()
    with_ocop = fields.Integer()
    products_total = fields.Integer()
    ocop_products = fields.Integer()
    etax_supported = fields.Integer()
    einvoice_supported = fields.Integer()
    sales_software = fields.Integer()
    generated_at = LocalDateTime()
