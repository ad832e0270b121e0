"""Market zones, merchant onboarding, products, payment codes and the zone report."""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.audit import record
from app.cache import cached
from app.database import fetch_one_raw, utcnow
from app.extensions import db
from app.fields import local_isoformat
from app.identity.models import User
from app.text import escape_like, fold
from miniapps.market import events, validation, vietqr
from miniapps.market.banks import Bank, get_bank
from miniapps.market.exceptions import (
    DuplicateName,
    MerchantNotFound,
    NoPaymentCode,
    PaymentDetailsOwnersOnly,
    ProductNotFound,
    StatusConflict,
    ZoneNotFound,
    field_error,
)
from miniapps.market.models import (
    MERCHANT_STATUS_LABELS,
    MERCHANT_STATUSES,
    MarketZone,
    Merchant,
    Product,
)
from miniapps.market.validation import stall_key

# Changing where the money goes must be checked again: a verified merchant that changes any of
# these goes back to pending (a swapped account is the fraud the verification is there for).
PAYMENT_FIELDS = frozenset({"bank_bin", "account_number", "account_name"})
MERCHANT_FIELDS = frozenset(
    {"name", "stall", "category", "opening_hours", "phone"} | PAYMENT_FIELDS
)
SUPPORT_FLAGS = frozenset({"etax_supported", "einvoice_supported", "sales_software"})


def mask_account(account_number: str) -> str:
    """Mask an account number for the public, keeping its last four characters."""
    return "****" + account_number[-4:]


def _flush_unique(message: str) -> None:
    """Flush, turning a unique-constraint violation into a 409 that names what clashed."""
    try:
        db.session.flush()
    except sa.exc.IntegrityError as exc:
        db.session.rollback()
        raise DuplicateName(message) from exc


def _merchant_search_text(name: str, category: str | None) -> str:
    return fold(f"{name} {category or ''}")[:210]


def _known_bank(bank_bin: str) -> Bank:
    """Return the bank of a BIN, or refuse a BIN that is not on the shipped list."""
    bank = get_bank(bank_bin)
    if bank is None:
        raise field_error("bank_bin", "Mã BIN không thuộc ngân hàng nào trong danh sách NAPAS.")
    return bank


# Zones


def create_zone(*, ward_code: str, name: str, kind: str, location: str | None) -> MarketZone:
    """Open a market zone in a ward (its name is unique within the ward)."""
    zone = MarketZone(
        ward_code=ward_code, name=name, kind=kind, location=location, search_text=fold(name)
    )
    db.session.add(zone)
    _flush_unique("Phường đã có một khu với tên này.")
    record("market_zone.created", "market_zone", zone.id, zone.name, ward_code=ward_code)
    return zone


def _audit(action: str, merchant: Merchant) -> None:
    """Write a staff act on a merchant to its ward's audit log (the stall's public name)."""
    record(action, "merchant", merchant.id, merchant.name, ward_code=merchant.zone.ward_code)


def list_zones(*, ward_code: str, q: str | None, limit: int, after_id: int | None) -> list:
    """List a ward's zones by id, matching `q` without diacritics; limit+1 rows."""
    query = sa.select(MarketZone).where(MarketZone.ward_code == ward_code)
    if q and fold(q):
        query = query.where(MarketZone.search_text.like(f"%{escape_like(fold(q))}%", escape="\\"))
    if after_id is not None:
        query = query.where(MarketZone.id > after_id)
    return list(db.session.scalars(query.order_by(MarketZone.id).limit(limit + 1)))


def get_zone(zone_id: int) -> MarketZone:
    """Return a zone or raise 404."""
    zone = db.session.get(MarketZone, zone_id)
    if zone is None:
        raise ZoneNotFound("Không tìm thấy khu chợ hoặc tuyến phố này.")
    return zone


# Merchants


def register_merchant(*, zone: MarketZone, owner: User, data: dict) -> Merchant:
    """Register a resident's own stall; it stays pending until the ward verifies it."""
    _known_bank(data["bank_bin"])
    names = [product["name"] for product in data.get("products", [])]
    if len(set(names)) != len(names):
        raise field_error("products", "Mỗi sản phẩm của một cửa hàng phải có tên riêng.")
    merchant = Merchant(
        zone=zone,
        owner_id=owner.id,
        status="pending",
        search_text=_merchant_search_text(data["name"], data.get("category")),
        stall_key=stall_key(data["stall"]),
        **{key: data.get(key) for key in MERCHANT_FIELDS},
    )
    merchant.products = [Product(**product) for product in data.get("products", [])]
    db.session.add(merchant)
    db.session.flush()
    return merchant


def get_merchant(merchant_id: int, *, for_update: bool = False) -> Merchant:
    """Return a merchant or raise 404 (callers check visibility before showing it).

    `for_update` takes the row's lock first (PostgreSQL; SQLite's write transactions are serial
    already), for a change that depends on the status read: an owner changing the account while
    staff verify it must not leave a verified merchant with an unchecked account.
    """
    if for_update:
        db.session.execute(
            sa.select(Merchant.id).where(Merchant.id == merchant_id).with_for_update()
        )
    merchant = db.session.get(Merchant, merchant_id, populate_existing=for_update)
    if merchant is None:
        raise MerchantNotFound("Không tìm thấy cửa hàng này.")
    return merchant


def list_merchants(
    *, zone: MarketZone, status: str, q: str | None, limit: int, after_id: int | None
) -> list[Merchant]:
    """List a zone's merchants of a status by id, matching name or category; limit+1 rows."""
    query = (
        sa.select(Merchant)
        .where(Merchant.zone_id == zone.id, Merchant.status == status)
        .options(selectinload(Merchant.products))
    )
    if q and fold(q):
        query = query.where(Merchant.search_text.like(f"%{escape_like(fold(q))}%", escape="\\"))
    if after_id is not None:
        query = query.where(Merchant.id > after_id)
    return list(db.session.scalars(query.order_by(Merchant.id).limit(limit + 1)))


def list_owned_merchants(*, owner: User, limit: int, after_id: int | None) -> list[Merchant]:
    """List the merchants a person registered, every status, by id; limit+1 rows."""
    query = (
        sa.select(Merchant)
        .where(Merchant.owner_id == owner.id)
        .options(selectinload(Merchant.products))
    )
    if after_id is not None:
        query = query.where(Merchant.id > after_id)
    return list(db.session.scalars(query.order_by(Merchant.id).limit(limit + 1)))


def update_merchant(merchant: Merchant, *, changes: dict, by_owner: bool = False) -> Merchant:
    """Apply the owner's or staff's changes; changed payment details need verifying again.

    An owner who edits a rejected or suspended stall has fixed it, as far as they know: it goes
    back to the staff's "Chờ xác minh" list (still without a payment code until verified).

    `changes` come normalised by the request schema (validation's rules). Take the merchant
    with `get_merchant(..., for_update=True)`.
    """
    if not by_owner and PAYMENT_FIELDS & changes.keys():
        # Where a stall's money goes is its owner's to say: staff who could both change it and
        # verify it could send a trader's payments anywhere.
        raise PaymentDetailsOwnersOnly(
            "Chỉ chủ cửa hàng mới đổi được tài khoản nhận tiền; cán bộ phường, xã chỉ xác minh."
        )
    if "bank_bin" in changes:
        _known_bank(changes["bank_bin"])
    payment_changed = any(
        key in PAYMENT_FIELDS and getattr(merchant, key) != value for key, value in changes.items()
    )
    public_changed = any(
        key in events.PUBLIC_FIELDS and getattr(merchant, key) != value
        for key, value in changes.items()
    )
    was_listed = merchant.status == "verified"
    for key, value in changes.items():
        if key in MERCHANT_FIELDS:
            setattr(merchant, key, value)
    merchant.search_text = _merchant_search_text(merchant.name, merchant.category)
    merchant.stall_key = stall_key(merchant.stall)
    resubmitted = by_owner and changes and merchant.status in ("rejected", "suspended")
    if (payment_changed and merchant.status == "verified") or resubmitted:
        # Where the money goes changed: no payment code until staff check the new account.
        merchant.status = "pending"
        merchant.status_reason = None
        merchant.verified_at = None
        merchant.verified_by_id = None
    db.session.flush()
    if not by_owner:
        _audit("merchant.updated", merchant)
    if was_listed and (public_changed or merchant.status != "verified"):
        events.updated(merchant)
    return merchant


def _require_valid_payment(merchant: Merchant) -> None:
    """Refuse to verify payment details that break the rules (rows older than the rules)."""
    problem = validation.payment_problem(
        account_number=merchant.account_number, account_name=merchant.account_name
    )
    if problem is not None:
        field, message = problem
        raise field_error(field, f"{message} Chủ cửa hàng cần sửa trước khi được xác minh.")


def verify_merchant(merchant: Merchant, *, staff: User) -> Merchant:
    """Verify a merchant (pending, or reinstate a suspended or rejected one); idempotent.

    Take the merchant with `get_merchant(..., for_update=True)`.
    """
    if merchant.status != "verified":
        _require_valid_payment(merchant)
        _known_bank(merchant.bank_bin)
        reinstated = merchant.status in ("suspended", "rejected")
        _audit("merchant.reinstated" if reinstated else "merchant.verified", merchant)
        merchant.status = "verified"
        merchant.status_reason = None
        merchant.verified_by_id = staff.id
        merchant.verified_at = utcnow()
        db.session.flush()
        events.verified(merchant)
    return merchant


def suspend_merchant(merchant: Merchant, *, reason: str) -> Merchant:
    """Suspend a verified merchant with a reason: its payment code stops being served.

    It keeps who verified it and when; staff reinstate it by verifying it again.
    """
    if merchant.status != "verified":
        raise StatusConflict("Chỉ tạm dừng được cửa hàng đã được xác minh.")
    merchant.status = "suspended"
    merchant.status_reason = reason
    db.session.flush()
    _audit("merchant.suspended", merchant)
    events.suspended(merchant, "verified")
    return merchant


def reject_merchant(merchant: Merchant, *, reason: str) -> Merchant:
    """Reject a pending (or suspended) registration with a reason; it is no longer verified."""
    if merchant.status not in ("pending", "suspended"):
        raise StatusConflict("Chỉ từ chối được đăng ký đang chờ xác minh hoặc đang tạm dừng.")
    previous = merchant.status
    merchant.status = "rejected"
    merchant.status_reason = reason
    merchant.verified_at = None
    merchant.verified_by_id = None
    db.session.flush()
    _audit("merchant.rejected", merchant)
    events.rejected(merchant, previous)
    return merchant


# Duplicate warnings


@dataclass(frozen=True)
class Duplicate:
    """Another merchant of the ward that may be the same business."""

    merchant: Merchant
    same_account: bool
    same_stall: bool

    @property
    def message(self) -> str:
        """Say in Vietnamese what the two merchants share."""
        what = " và ".join(
            part
            for part, shared in (
                ("tài khoản ngân hàng", self.same_account),
                ("quầy/ki-ốt", self.same_stall),
            )
            if shared
        )
        return f"Trùng {what} với «{self.merchant.name}» ({self.merchant.zone.name})."


def find_duplicates(merchants: list[Merchant]) -> dict[int, list[Duplicate]]:
    """Return, for each merchant, the others of its ward with its account or its stall.

    Same account: same bank BIN and account number, anywhere in the ward. Same stall: the same
    stall key (validation.stall_key) in the same zone. One query for the whole list.
    """
    if not merchants:
        return {}
    this, this_zone = sa.orm.aliased(Merchant), sa.orm.aliased(MarketZone)
    other, other_zone = sa.orm.aliased(Merchant), sa.orm.aliased(MarketZone)
    same_account = sa.and_(
        other.bank_bin == this.bank_bin,
        other.account_number == this.account_number,
        other_zone.ward_code == this_zone.ward_code,
    )
    same_stall = sa.and_(other.zone_id == this.zone_id, other.stall_key == this.stall_key)
    rows = db.session.execute(
        sa.select(this.id, other, same_account, same_stall)
        .select_from(this)
        .join(this_zone, this_zone.id == this.zone_id)
        .join(other, other.id != this.id)
        .join(other_zone, other_zone.id == other.zone_id)
        .where(this.id.in_([m.id for m in merchants]), sa.or_(same_account, same_stall))
        .order_by(this.id, other.id)
    ).all()
    found: dict[int, list[Duplicate]] = {m.id: [] for m in merchants}
    for merchant_id, duplicate, by_account, by_stall in rows:
        found[merchant_id].append(
            Duplicate(duplicate, same_account=bool(by_account), same_stall=bool(by_stall))
        )
    return found


def set_support_flags(merchant: Merchant, *, flags: dict) -> Merchant:
    """Record the support staff gave the business (eTax, e-invoices, sales software)."""
    for key, value in flags.items():
        if key in SUPPORT_FLAGS:
            setattr(merchant, key, value)
    db.session.flush()
    return merchant


# Products


def add_product(merchant: Merchant, *, data: dict) -> Product:
    """Add a product (its name is unique within the merchant)."""
    product = Product(merchant=merchant, **data)
    db.session.add(product)
    _flush_unique("Cửa hàng đã có một sản phẩm với tên này.")
    _products_changed(merchant)
    return product


def _products_changed(merchant: Merchant) -> None:
    """Tell outside systems that a listed merchant's products changed (after the flush)."""
    if merchant.status == "verified":
        events.updated(merchant)


def get_product(product_id: int) -> Product:
    """Return a product or raise 404."""
    product = db.session.get(Product, product_id)
    if product is None:
        raise ProductNotFound("Không tìm thấy sản phẩm này.")
    return product


def update_product(product: Product, *, changes: dict) -> Product:
    """Change a product's name, price or OCOP stars."""
    for key, value in changes.items():
        setattr(product, key, value)
    _flush_unique("Cửa hàng đã có một sản phẩm với tên này.")
    _products_changed(product.merchant)
    return product


def delete_product(product: Product) -> None:
    """Remove a product."""
    merchant = product.merchant
    db.session.delete(product)
    db.session.flush()
    _products_changed(merchant)


# Payment codes


@dataclass(frozen=True)
class PaymentCode:
    """A merchant's VietQR payload and what goes with it."""

    payload: str
    amount: int | None
    purpose: str | None
    bank: Bank
    merchant: Merchant

    @property
    def dynamic(self) -> bool:
        """Tell whether the code carries an amount (initiation method 12)."""
        return self.amount is not None


_PAYMENT_SOURCE_SQL = (
    "SELECT bank_bin, account_number FROM merchant WHERE id = {p} AND status = 'verified'"
)


def payment_payload(merchant_id: int, *, amount: int | None, purpose: str | None) -> str:
    """Return the VietQR payload of a verified merchant with one indexed lookup (hot path).

    The image endpoints need only the payload; this skips loading the merchant through the
    ORM. Raises NoPaymentCode for a merchant that is missing or not verified.
    """
    row = fetch_one_raw(_PAYMENT_SOURCE_SQL, (merchant_id,))
    if row is None or not validation.is_valid_account_number(row[1]):
        raise NoPaymentCode("Không tìm thấy cửa hàng này.")
    purpose = purpose if purpose and purpose.strip() else None
    try:
        return _encode_account_payload(row[0], row[1], amount, purpose)
    except vietqr.VietQRError as exc:
        raise field_error(exc.field, exc.message, location="query") from exc


@cached("market.payment_payload", size=4096)
def _encode_account_payload(
    bank_bin: str, account: str, amount: int | None, purpose: str | None
) -> str:
    """Encode a payload once per distinct input (encoding is pure; a sticker is asked for often)."""
    return vietqr.encode(
        bank_bin=bank_bin, account=account, service="account", amount=amount, purpose=purpose
    )


def payment_code(merchant: Merchant, *, amount: int | None, purpose: str | None) -> PaymentCode:
    """Build the VietQR payload of a verified merchant, static without amount, dynamic with.

    A verified row whose account breaks the rules (written before them) has no code either.
    """
    if merchant.status != "verified" or not validation.is_valid_account_number(
        merchant.account_number
    ):
        raise NoPaymentCode("Không tìm thấy cửa hàng này.")
    purpose = purpose if purpose and purpose.strip() else None
    try:
        payload = vietqr.encode(
            bank_bin=merchant.bank_bin,
            account=merchant.account_number,
            service="account",
            amount=amount,
            purpose=purpose,
        )
    except vietqr.VietQRError as exc:
        raise field_error(exc.field, exc.message, location="query") from exc
    return PaymentCode(
        payload=payload,
        amount=amount,
        purpose=vietqr.fold_ascii(purpose) if purpose else None,
        bank=_known_bank(merchant.bank_bin),
        merchant=merchant,
    )


# Report

REPORT_FIELDS = (
    ("merchants_total", "Tổng số hộ kinh doanh"),
    *MERCHANT_STATUS_LABELS.items(),
    ("with_payment_qr", "Có mã QR thanh toán"),
    ("with_products", "Có giới thiệu sản phẩm"),
    ("with_ocop", "Có sản phẩm OCOP"),
    ("products_total", "Tổng số sản phẩm"),
    ("ocop_products", "Số sản phẩm OCOP"),
    ("etax_supported", "Được hỗ trợ eTax Mobile"),
    ("einvoice_supported", "Được hỗ trợ hóa đơn điện tử"),
    ("sales_software", "Được hỗ trợ phần mềm bán hàng"),
)


def zone_report(zone: MarketZone) -> dict:
    """Count the zone's merchants: by status, with codes, products, OCOP, and support given.

    Every count is over all merchants registered in the zone; `with_payment_qr` counts the
    verified ones, since only they are served a payment code.
    """
    has_products = (
        sa.select(Product.id).where(Product.merchant_id == Merchant.id).exists().correlate(Merchant)
    )
    has_ocop = (
        sa.select(Product.id)
        .where(Product.merchant_id == Merchant.id, Product.ocop_stars.is_not(None))
        .exists()
        .correlate(Merchant)
    )

    def count_if(condition) -> sa.ColumnElement:
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    row = db.session.execute(
        sa.select(
            sa.func.count(Merchant.id),
            *(count_if(Merchant.status == status) for status in MERCHANT_STATUSES),
            count_if(has_products),
            count_if(has_ocop),
            count_if(Merchant.etax_supported.is_(True)),
            count_if(Merchant.einvoice_supported.is_(True)),
            count_if(Merchant.sales_software.is_(True)),
        ).where(Merchant.zone_id == zone.id)
    ).one()
    products_total, ocop_products = db.session.execute(
        sa.select(
            sa.func.count(Product.id),
            sa.func.count(Product.ocop_stars),
        )
        .join(Merchant, Product.merchant_id == Merchant.id)
        .where(Merchant.zone_id == zone.id)
    ).one()
    total, pending, verified, suspended, rejected, products, ocop, etax, einvoice, software = (
        int(value) for value in row
    )
    return {
        "zone": zone,
        "ward": zone.ward,
        "merchants_total": total,
        "pending": pending,
        "verified": verified,
        "suspended": suspended,
        "rejected": rejected,
        "with_payment_qr": verified,
        "with_products": products,
        "with_ocop": ocop,
        "products_total": int(products_total),
        "ocop_products": int(ocop_products),
        "etax_supported": etax,
        "einvoice_supported": einvoice,
        "sales_software": software,
        "generated_at": utcnow(),
    }


# Personal data


def export_personal_data(user: User) -> dict:
    """Return the merchants the user registered, with their personal parts, for the export."""
    merchants = db.session.scalars(
        sa.select(Merchant).where(Merchant.owner_id == user.id).order_by(Merchant.id)
    )
    return {
        "market_merchants": [
            {
                "id": m.id,
                "zone": m.zone.name,
                "ward": m.zone.ward_code,
                "name": m.name,
                "stall": m.stall,
                "phone": m.phone,
                "bank_bin": m.bank_bin,
                "account_number": m.account_number,
                "account_name": m.account_name,
                "status": m.status,
                "created_at": local_isoformat(m.created_at),
            }
            for m in merchants
        ]
    }


def erase_personal_data(user: User) -> None:
    """Unlink the user from their merchants and drop the phone; the business stays listed."""
    db.session.execute(
        sa.update(Merchant)
        .where(Merchant.owner_id == user.id)
        .values(owner_id=None, phone=None)
        .execution_options(synchronize_session="fetch")
    )
    db.session.flush()
