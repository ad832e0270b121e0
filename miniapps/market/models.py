"""Market zones (digital streets and markets), merchants (household businesses) and products."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import Base, TimestampMixin, UTCDateTime
from app.wards.models import Ward

ZONE_KIND_LABELS = {"street": "Tuyến phố số", "market": "Chợ"}
ZONE_KINDS = tuple(ZONE_KIND_LABELS)
# "Chờ xác minh" rather than "Chờ phường xác minh": the verifying unit may be a xã.
MERCHANT_STATUS_LABELS = {
    "pending": "Chờ xác minh",
    "verified": "Đã xác minh",
    "suspended": "Tạm dừng",
    "rejected": "Bị từ chối",
}
MERCHANT_STATUSES = tuple(MERCHANT_STATUS_LABELS)
PRICE_MAX = 9_999_999_999

# The Vietnamese label of every input field: the request schemas carry it in their metadata
# and the service names a field by it in a 422 it raises itself.
FIELD_LABELS = {
    # Zones
    "zone_name": "Tên khu",
    "kind": "Loại khu",
    "location": "Địa điểm",
    # Merchants
    "name": "Tên cửa hàng",
    "stall": "Quầy, ki-ốt hoặc số nhà",
    "category": "Ngành hàng",
    "opening_hours": "Giờ mở cửa",
    "phone": "Số điện thoại",
    "bank_bin": "Ngân hàng",
    "account_number": "Số tài khoản",
    "account_name": "Tên chủ tài khoản",
    "products": "Sản phẩm",
    "reason": "Lý do",
    "etax_supported": "Đã hỗ trợ eTax Mobile",
    "einvoice_supported": "Đã hỗ trợ hóa đơn điện tử",
    "sales_software": "Đã hỗ trợ phần mềm bán hàng",
    # Products
    "product_name": "Tên sản phẩm",
    "price": "Giá (đồng)",
    "ocop_stars": "Số sao OCOP",
    # Lists, payment codes, posters, report
    "q": "Từ khóa tìm kiếm",
    "status": "Trạng thái",
    "amount": "Số tiền (đồng)",
    "purpose": "Nội dung chuyển khoản",
    "scale": "Cỡ điểm ảnh",
    "size": "Khổ giấy",
    "format": "Định dạng",
}


class MarketZone(TimestampMixin, Base):
    """A digital business street (`street`) or a market (`market`) of one ward."""

    __tablename__ = "market_zone"

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_code: Mapped[str] = mapped_column(sa.String(5), sa.ForeignKey("ward.code"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(10))
    location: Mapped[str | None] = mapped_column(sa.String(300))
    # Lower-case ASCII of the name, for diacritic-insensitive search.
    search_text: Mapped[str] = mapped_column(sa.String(200))

    ward: Mapped[Ward] = relationship(lazy="joined")
    merchants: Mapped[list["Merchant"]] = relationship(back_populates="zone")

    __table_args__ = (
        sa.UniqueConstraint("ward_code", "name"),
        sa.CheckConstraint("kind in ('street', 'market')", name="kind"),
    )


class Merchant(TimestampMixin, Base):
    """A household business (hộ kinh doanh) with its stall and its payment account.

    The business data (name, stall, account the buyers pay into) belongs to the business; the
    link to the owner's account and the phone number are the owner's personal data and are
    erased with it.
    """

    __tablename__ = "merchant"

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(sa.ForeignKey("market_zone.id"), index=True)
    owner_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(120))
    stall: Mapped[str] = mapped_column(sa.String(120))
    category: Mapped[str | None] = mapped_column(sa.String(80))
    opening_hours: Mapped[str | None] = mapped_column(sa.String(120))
    phone: Mapped[str | None] = mapped_column(sa.String(20))
    bank_bin: Mapped[str] = mapped_column(sa.String(6))
    account_number: Mapped[str] = mapped_column(sa.String(19))
    account_name: Mapped[str] = mapped_column(sa.String(70))
    status: Mapped[str] = mapped_column(sa.String(10), default="pending")
    status_reason: Mapped[str | None] = mapped_column(sa.String(300))
    verified_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Support the ward gave the business (ticked by staff; they feed the zone report).
    etax_supported: Mapped[bool] = mapped_column(default=False)
    einvoice_supported: Mapped[bool] = mapped_column(default=False)
    sales_software: Mapped[bool] = mapped_column(default=False)
    # Lower-case ASCII of name and category, for diacritic-insensitive search.
    search_text: Mapped[str] = mapped_column(sa.String(210))
    # The stall as ASCII letters and digits (validation.stall_key), to warn staff of a duplicate.
    stall_key: Mapped[str] = mapped_column(sa.String(120))

    zone: Mapped[MarketZone] = relationship(back_populates="merchants", lazy="joined")
    products: Mapped[list["Product"]] = relationship(
        back_populates="merchant",
        cascade="all, delete-orphan",
        order_by="Product.id",
        passive_deletes=True,
    )

    __table_args__ = (
        sa.CheckConstraint(
            "status in ('pending', 'verified', 'suspended', 'rejected')", name="status"
        ),
        sa.CheckConstraint(
            "status not in ('suspended', 'rejected') or status_reason is not null",
            name="reason_given",
        ),
        sa.CheckConstraint("length(bank_bin) = 6", name="bank_bin_length"),
        # The duplicate warnings: same account in the ward, same stall in the zone.
        sa.Index("ix_merchant_bank_account", "bank_bin", "account_number"),
        sa.Index("ix_merchant_zone_stall", "zone_id", "stall_key"),
    )


class Product(TimestampMixin, Base):
    """A product a merchant sells, with its price in whole đồng and its OCOP rating if any."""

    __tablename__ = "product"

    id: Mapped[int] = mapped_column(primary_key=True)
    merchant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("merchant.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(120))
    price: Mapped[int] = mapped_column(sa.BigInteger)
    ocop_stars: Mapped[int | None] = mapped_column(sa.SmallInteger)

    merchant: Mapped[Merchant] = relationship(back_populates="products")

    __table_args__ = (
        sa.UniqueConstraint("merchant_id", "name"),
        sa.CheckConstraint(f"price >= 0 and price <= {PRICE_MAX}", name="price"),
        sa.CheckConstraint("ocop_stars is null or ocop_stars between 3 and 5", name="ocop_stars"),
    )
