"""Communities (residential groups), their memberships and ward followers."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import Base, TimestampMixin, UTCDateTime, utcnow

KINDS = ("to_dan_pho", "thon", "chi_bo", "chi_hoi", "other")
KIND_LABELS = {
    "to_dan_pho": "Tổ dân phố",
    "thon": "Thôn",
    "chi_bo": "Chi bộ",
    "chi_hoi": "Chi hội",
    "other": "Khác",
}
# What a community's leader is called, in lower case: it is said within a sentence.
LEADER_LABELS = {
    "to_dan_pho": "tổ trưởng",
    "thon": "trưởng thôn",
    "chi_bo": "bí thư chi bộ",
    "chi_hoi": "chi hội trưởng",
    "other": "trưởng nhóm",
}
# The kinds of residential group a ward keeps in its registry (the indicator's denominator).
RESIDENTIAL_KINDS = ("to_dan_pho", "thon")
RESIDENTIAL_KIND_LABELS = {kind: KIND_LABELS[kind] for kind in RESIDENTIAL_KINDS}
MEMBER_STATUSES = ("active", "pending")
LEADER_TITLES = ("leader", "deputy")


class Community(Base):
    """An official digital community: a tổ dân phố, thôn, chi bộ or chi hội of one ward."""

    __tablename__ = "community"

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_code: Mapped[str] = mapped_column(sa.String(5), sa.ForeignKey("ward.code"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    # Lower-case ASCII of the name, for diacritic-insensitive search.
    search_text: Mapped[str] = mapped_column(sa.String(120))
    kind: Mapped[str] = mapped_column(sa.String(20))
    invite_code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The registry's group this community is the digital community of (one community a group).
    residential_group_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("residential_group.id", ondelete="SET NULL"), unique=True
    )

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="community", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        sa.UniqueConstraint("ward_code", "name"),
        sa.CheckConstraint(
            "kind in ('to_dan_pho', 'thon', 'chi_bo', 'chi_hoi', 'other')", name="kind"
        ),
    )


class ResidentialGroup(TimestampMixin, Base):
    """A tổ dân phố or thôn in the ward's own list: what "every group has a community" counts.

    Ward staff keep the list (community/groups/registry.py is its one writer); a community
    names its group through `Community.residential_group_id`.
    """

    __tablename__ = "residential_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_code: Mapped[str] = mapped_column(sa.String(5), sa.ForeignKey("ward.code"))
    name: Mapped[str] = mapped_column(sa.String(120))
    # app.text.fold of the name: "Tổ dân phố số 5" and "to dan pho so 5" are one group.
    name_key: Mapped[str] = mapped_column(sa.String(120))
    kind: Mapped[str] = mapped_column(sa.String(20))
    households: Mapped[int] = mapped_column(default=0)

    __table_args__ = (
        sa.UniqueConstraint("ward_code", "name_key"),
        sa.CheckConstraint("kind in ('to_dan_pho', 'thon')", name="kind"),
        sa.CheckConstraint("households >= 0", name="households"),
    )


class Membership(Base):
    """A person's membership of a community (one row per community and person)."""

    __tablename__ = "community_membership"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(sa.ForeignKey("community.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    # "pending": asked to join without a code and waits for a leader's approval.
    status: Mapped[str] = mapped_column(sa.String(10), default="active")
    # Display title of a leader; the permission itself is the community_leader role grant.
    leader_title: Mapped[str | None] = mapped_column(sa.String(10))
    household: Mapped[str | None] = mapped_column(sa.String(40))
    household_confirmed: Mapped[bool] = mapped_column(default=False)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    community: Mapped[Community] = relationship(back_populates="memberships")
    user = relationship("User")

    __table_args__ = (
        sa.UniqueConstraint("community_id", "user_id"),
        sa.CheckConstraint("status in ('active', 'pending')", name="status"),
        sa.CheckConstraint(
            "leader_title is null or leader_title in ('leader', 'deputy')", name="leader_title"
        ),
    )


class WardFollow(Base):
    """A resident following a ward: its ward-wide notices reach them."""

    __tablename__ = "ward_follow"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    ward_code: Mapped[str] = mapped_column(sa.String(5), sa.ForeignKey("ward.code"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (sa.UniqueConstraint("user_id", "ward_code"),)
