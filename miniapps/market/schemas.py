"""Shapes of the market API: what it accepts (checked here) and what it answers."""

import re

from marshmallow import Schema, ValidationError, fields, validate

from app import qr
from app.fields import LocalDateTime, label_field
from app.pagination import PageArgsSchema
from app.strict import Flag, Integer, ListOf, Object, StrictSchema, Text, one_of
from miniapps.market import validation
from miniapps.market.models import (
    FIELD_LABELS,
    MERCHANT_STATUS_LABELS,
    MERCHANT_STATUSES,
    PRICE_MAX,
    ZONE_KIND_LABELS,
    ZONE_KINDS,
)
from miniapps.market.vietqr import AMOUNT_MAX, AMOUNT_MIN

_BIN = validate.Regexp(r"^[0-9]{6}$", error="Mã BIN ngân hàng phải gồm đúng 6 chữ số.")


def _label(key: str, **metadata) -> dict:
    """Return the field metadata with its Vietnamese label (FIELD_LABELS is the one source)."""
    return {"label": FIELD_LABELS[key], **metadata}


def _text(max_length: int, label: str, *, doc: dict | None = None, **kwargs) -> Text:
    """A trimmed text field of 1 to max_length characters (blank refused), with its label."""
    return Text(
        strip=True,
        validate=validate.Length(max=max_length, error=f"Dài tối đa {max_length} ký tự."),
        metadata=_label(label, **(doc or {})),
        **kwargs,
    )


class _Normalised(Text):
    """Text put in its canonical form by one of the market's rules (miniapps.market.validation).

    `pattern` states the rule in the OpenAPI document (ECMA-262 and Python alike), so that
    clients and fuzzers send what the rule takes; it is checked too, with `message`, before
    the rule: Python's `\\d` in a rule also takes other scripts' digits (full-width ３, Arabic
    ٣), which the canonical form would then drop.
    """

    rule = staticmethod(lambda value: value)
    pattern: str | None = None
    message = ""

    def __init__(self, **kwargs) -> None:
        if self.pattern is not None:
            kwargs["metadata"] = {"pattern": self.pattern, **kwargs.get("metadata", {})}
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if self.pattern is not None and not re.search(self.pattern, text):
            raise ValidationError(self.message)
        try:
            return self.rule(text)
        except validation.InvalidValue as exc:
            raise ValidationError(exc.message) from exc


def _digits_between(separators: str, count: str) -> str:
    """Return a pattern of `count` ASCII digits, each after any number of `separators`."""
    return f"(?:{separators}[0-9]){count}"


# The separators each rule drops (validation.normalise_account_number, app.strict's phone).
_ACCOUNT_SEP = r"[\s.\-]*"
_PHONE_SEP = r"[\s.\-()]*"


class AccountNumber(_Normalised):
    """A bank account number: 6 to 19 digits once spaces, dots and dashes are dropped."""

    rule = staticmethod(validation.normalise_account_number)
    message = validation.MSG_ACCOUNT_NUMBER
    pattern = (
        f"^{_ACCOUNT_SEP}"
        f"{_digits_between(_ACCOUNT_SEP, f'{{{validation.ACCOUNT_MIN},{validation.ACCOUNT_MAX}}}')}"
        f"{_ACCOUNT_SEP}$"
    )


class AccountName(_Normalised):
    """An account name, folded to upper-case ASCII as banks print it."""

    rule = staticmethod(validation.fold_account_name)


class Phone(_Normalised):
    """A Vietnamese phone number, stored as its digits ("+84 912 345 678" → "0912345678")."""

    rule = staticmethod(validation.normalise_phone)
    message = validation.MSG_PHONE
    # app.strict.vietnamese_phone's numbers with its separators anywhere: mobile or landline
    # (0 then 9 or 10 digits), the same after +84, short numbers, 1800/1900 numbers.
    pattern = (
        f"^{_PHONE_SEP}(?:"
        f"0{_PHONE_SEP}[1-9]{_digits_between(_PHONE_SEP, '{8,9}')}"
        f"|\\+{_PHONE_SEP}8{_PHONE_SEP}4{_PHONE_SEP}[1-9]{_digits_between(_PHONE_SEP, '{8,9}')}"
        f"|1{_digits_between(_PHONE_SEP, '{2,3}')}"
        f"|1{_PHONE_SEP}[89]{_PHONE_SEP}0{_PHONE_SEP}0{_digits_between(_PHONE_SEP, '{4}')}"
        f"(?:{_digits_between(_PHONE_SEP, '{2}')})?"
        f"){_PHONE_SEP}$"
    )


def _query_text(**kwargs) -> Text:
    """A text query parameter where an empty value means "no filter" (not an error)."""
    return Text(allow_blank=True, **kwargs)


_ACCOUNT_NUMBER_DOC = {
    "description": "6 đến 19 chữ số; khoảng trắng, dấu chấm, gạch ngang được bỏ đi.",
    "example": "0011001234567",
}
_ACCOUNT_NAME_DOC = {
    "description": "Đổi sang chữ in hoa không dấu như in trên thẻ: "
    "«nguyễn văn an» → «NGUYEN VAN AN».",
    "example": "NGUYEN VAN AN",
}
_PHONE_DOC = {
    "description": "Nhận 0912 345 678, 0912.345.678, +84 912 345 678; lưu 0912345678.",
    "example": "0912345678",
}


# Zones


class ZoneCreateSchema(StrictSchema):
    """A new market zone of the ward."""

    name = _text(200, "zone_name", required=True)
    kind = Text(
        required=True,
        validate=one_of(ZONE_KINDS, what="Loại khu"),
        metadata=_label("kind", enum=list(ZONE_KINDS)),
    )
    location = _text(300, "location", load_default=None, allow_none=True)


class ZoneSearchArgsSchema(PageArgsSchema):
    """`?q=&limit=&cursor=` of the ward's zones."""

    q = _query_text(
        load_default=None,
        validate=validate.Length(max=100, error="Từ khóa dài tối đa 100 ký tự."),
        metadata=_label("q"),
    )


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
    kind_label = label_field(ZONE_KIND_LABELS, of="kind")
    location = fields.String(allow_none=True)
    created_at = LocalDateTime()


class ZoneListSchema(Schema):
    """A page of market zones."""

    items = fields.List(fields.Nested(ZoneSchema))
    next_cursor = fields.String(allow_none=True)


# Products

_PRICE_RANGE = validate.Range(
    min=0, max=PRICE_MAX, error=f"Giá phải từ 0 đến {PRICE_MAX:,} đồng.".replace(",", ".")
)
_OCOP_RANGE = validate.Range(min=3, max=5, error="Sản phẩm OCOP được xếp từ 3 đến 5 sao.")


class ProductCreateSchema(StrictSchema):
    """A product: name, price in whole đồng, OCOP stars (3 to 5) if rated."""

    name = _text(120, "product_name", required=True)
    price = Integer(required=True, validate=_PRICE_RANGE, metadata=_label("price"))
    ocop_stars = Integer(
        load_default=None, allow_none=True, validate=_OCOP_RANGE, metadata=_label("ocop_stars")
    )


class ProductUpdateSchema(StrictSchema):
    """Changes to a product (only the fields sent)."""

    name = _text(120, "product_name")
    price = Integer(validate=_PRICE_RANGE, metadata=_label("price"))
    ocop_stars = Integer(allow_none=True, validate=_OCOP_RANGE, metadata=_label("ocop_stars"))


class ProductSchema(Schema):
    """A product as shown."""

    id = fields.Integer()
    name = fields.String()
    price = fields.Integer()
    ocop_stars = fields.Integer(allow_none=True)


# Merchants


class MerchantCreateSchema(StrictSchema):
    """A resident registers their own stall; it waits for the ward's verification."""

    name = _text(120, "name", required=True)
    stall = _text(120, "stall", required=True)
    category = _text(80, "category", load_default=None, allow_none=True)
    opening_hours = _text(120, "opening_hours", load_default=None, allow_none=True)
    phone = Phone(load_default=None, allow_none=True, metadata=_label("phone", **_PHONE_DOC))
    bank_bin = Text(required=True, validate=_BIN, metadata=_label("bank_bin", example="970436"))
    account_number = AccountNumber(
        required=True, metadata=_label("account_number", **_ACCOUNT_NUMBER_DOC)
    )
    account_name = AccountName(required=True, metadata=_label("account_name", **_ACCOUNT_NAME_DOC))
    products = ListOf(
        Object(ProductCreateSchema),
        load_default=list,
        validate=validate.Length(max=100, error="Tối đa 100 sản phẩm."),
        metadata=_label("products"),
    )


class MerchantUpdateSchema(StrictSchema):
    """Changes the owner or the ward's staff make (only the fields sent).

    Changing `bank_bin`, `account_number` or `account_name` of a verified merchant sends it
    back to pending verification: no payment code until the ward's staff verify it again.
    """

    name = _text(120, "name")
    stall = _text(120, "stall")
    category = _text(80, "category", allow_none=True)
    opening_hours = _text(120, "opening_hours", allow_none=True)
    phone = Phone(allow_none=True, metadata=_label("phone", **_PHONE_DOC))
    bank_bin = Text(validate=_BIN, metadata=_label("bank_bin", example="970436"))
    account_number = AccountNumber(metadata=_label("account_number", **_ACCOUNT_NUMBER_DOC))
    account_name = AccountName(metadata=_label("account_name", **_ACCOUNT_NAME_DOC))


class MerchantSearchArgsSchema(PageArgsSchema):
    """`?q=&status=&limit=&cursor=` of a zone's directory (status: ward staff only)."""

    q = _query_text(
        load_default=None,
        validate=validate.Length(max=100, error="Từ khóa dài tối đa 100 ký tự."),
        metadata=_label("q"),
    )
    status = Text(
        load_default=None,
        validate=one_of(MERCHANT_STATUSES, what="Trạng thái"),
        metadata=_label("status", enum=list(MERCHANT_STATUSES)),
    )


class ReasonSchema(StrictSchema):
    """Why staff suspend or reject a merchant (shown to its owner)."""

    reason = _text(
        300,
        "reason",
        required=True,
        doc={"description": "Bắt buộc; không chỉ gồm khoảng trắng.", "example": "Sai số ki-ốt"},
    )


class SupportFlagsSchema(StrictSchema):
    """The support the ward gave the business (only the flags sent)."""

    etax_supported = Flag(metadata=_label("etax_supported"))
    einvoice_supported = Flag(metadata=_label("einvoice_supported"))
    sales_software = Flag(metadata=_label("sales_software"))


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
    kind_label = label_field(ZONE_KIND_LABELS, of="kind")


class DuplicateSchema(Schema):
    """Another merchant of the ward that may be the same business (a warning, not an error)."""

    id = fields.Integer()
    name = fields.String()
    stall = fields.String()
    zone = fields.Nested(ZoneRefSchema)
    status = fields.String(metadata={"enum": list(MERCHANT_STATUSES)})
    status_label = label_field(MERCHANT_STATUS_LABELS, of="status")
    same_account = fields.Boolean(
        metadata={"description": "Cùng ngân hàng và số tài khoản, trong cùng phường/xã."}
    )
    same_stall = fields.Boolean(
        metadata={"description": "Cùng quầy/ki-ốt (so không dấu, bỏ dấu câu), trong cùng khu."}
    )
    message = fields.String(
        metadata={"example": "Trùng tài khoản ngân hàng với «Cà phê Mộc» (Chợ Phú Diễn)."}
    )


class MerchantSchema(Schema):
    """A merchant. Phone, full account number, status reason and support flags are shown to
    its owner and the ward's staff only; `duplicates` to the ward's staff only."""

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
    status_reason = fields.String(
        allow_none=True,
        metadata={"description": "Lý do từ chối hoặc tạm dừng (chủ cửa hàng và cán bộ phường)."},
    )
    verified_at = LocalDateTime(allow_none=True)
    duplicates = fields.List(
        fields.Nested(DuplicateSchema),
        metadata={
            "description": "Cán bộ phường/xã: các cửa hàng khác có thể trùng (cùng tài khoản "
            "trong phường/xã, cùng quầy trong khu). Chỉ là cảnh báo."
        },
    )
    etax_supported = fields.Boolean()
    einvoice_supported = fields.Boolean()
    sales_software = fields.Boolean()
    is_owner = fields.Boolean()
    can_edit = fields.Boolean(
        metadata={"description": "The caller may PATCH the merchant and its products."}
    )
    can_manage = fields.Boolean(
        metadata={"description": "The caller may verify, reject, suspend, tick support (staff)."}
    )
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
        error_messages={"invalid": "Số tiền phải là số nguyên (đồng)."},
        metadata=_label("amount"),
    )
    purpose = _query_text(
        load_default=None,
        validate=validate.Length(max=200, error="Nội dung chuyển khoản quá dài."),
        metadata=_label("purpose"),
    )


class PaymentQrImageArgsSchema(PaymentQrArgsSchema):
    """The same, with `scale` (pixels per module) for the image."""

    scale = fields.Integer(
        load_default=qr.DEFAULT_SCALE,
        validate=validate.Range(
            min=qr.MIN_SCALE,
            max=qr.MAX_SCALE,
            error=f"Cỡ điểm ảnh phải từ {qr.MIN_SCALE} đến {qr.MAX_SCALE}.",
        ),
        error_messages={"invalid": "Cỡ điểm ảnh phải là số nguyên."},
        metadata=_label("scale"),
    )


class PosterArgsSchema(PaymentQrArgsSchema):
    """`?size=A5|A6&amount=&purpose=` of a poster."""

    size = Text(
        load_default="A5",
        validate=one_of(("A5", "A6"), what="Khổ giấy"),
        metadata=_label("size", enum=["A5", "A6"]),
    )


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

    format = Text(
        load_default="json",
        validate=one_of(("json", "csv"), what="Định dạng"),
        metadata=_label("format", enum=["json", "csv"]),
    )


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
