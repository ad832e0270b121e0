"""Communities, memberships, leaders, households and ward follows."""

import hmac
import secrets

import sqlalchemy as sa

from app.audit import record
from app.database import insert_ignore
from app.extensions import db
from app.fields import local_isoformat
from app.identity import service as identity
from app.identity.models import RoleGrant, User
from app.text import escape_like, fold
from community.common import count, valid_id
from community.groups.exceptions import (
    CommunityExists,
    CommunityNotFound,
    InvalidInviteCode,
    MemberNotFound,
    NoHouseholdStated,
    NotAMember,
)
from community.groups.models import Community, Membership, ResidentialGroup, WardFollow

INVITE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off a printed board
INVITE_LENGTH = 8
LEADER_ROLE = "community_leader"
# An active community: a leader and at least this many active members (the leader included).
ACTIVE_MIN_MEMBERS = 3


def new_invite_code() -> str:
    """Return a fresh random invite code."""
    return "".join(secrets.choice(INVITE_ALPHABET) for _ in range(INVITE_LENGTH))


def create(
    *,
    ward_code: str,
    name: str,
    kind: str,
    created_by: User | None,
    residential_group: ResidentialGroup | None = None,
) -> Community:
    """Create a community in a ward; a name already used in that ward is a conflict.

    `residential_group` is the registry's group it is the community of (registry.group_to_link
    checked it); the unique link refuses a second community racing for the same group.
    """
    name = " ".join(name.split())
    if db.session.scalar(
        sa.select(Community.id).where(Community.ward_code == ward_code, Community.name == name)
    ):
        raise CommunityExists.on_field(
            "name", "Tên cộng đồng", "Phường, xã đã có cộng đồng mang tên này."
        )
    community = Community(
        ward_code=ward_code,
        name=name,
        search_text=fold(name),
        kind=kind,
        invite_code=new_invite_code(),
        created_by_id=created_by.id if created_by else None,
        residential_group_id=residential_group.id if residential_group else None,
    )
    db.session.add(community)
    try:
        db.session.flush()
    except sa.exc.IntegrityError as exc:  # another request took the name or the group first
        db.session.rollback()
        raise CommunityExists(
            "Tên cộng đồng hoặc tổ dân phố, thôn vừa được dùng cho cộng đồng khác; "
            "hãy tải lại danh sách."
        ) from exc
    record("community.created", "community", community.id, name, ward_code=ward_code)
    return community


def rotate_invite_code(community: Community) -> Community:
    """Replace the invite code (when the old one has leaked); the old one stops working."""
    community.invite_code = new_invite_code()
    db.session.flush()
    return community


def get(community_id: int) -> Community:
    """Return a community or raise NotFound."""
    community = db.session.get(Community, community_id) if valid_id(community_id) else None
    if community is None:
        raise CommunityNotFound("Không tìm thấy cộng đồng này.")
    return community


def ward_of(community_id: int) -> str | None:
    """Return the ward code of a community, or None if there is no such community."""
    if not valid_id(community_id):
        return None
    return db.session.scalar(sa.select(Community.ward_code).where(Community.id == community_id))


def list_for_ward(
    *, ward_code: str, kind: str | None, q: str | None, limit: int, after_id: int | None
) -> list[Community]:
    """List a ward's communities by id, optionally by kind and name (diacritics optional)."""
    stmt = sa.select(Community).where(Community.ward_code == ward_code).order_by(Community.id)
    if kind:
        stmt = stmt.where(Community.kind == kind)
    if q and q.strip():
        for word in fold(q).split():
            stmt = stmt.where(Community.search_text.like(f"%{escape_like(word)}%", escape="\\"))
    if after_id:
        stmt = stmt.where(Community.id > after_id)
    return list(db.session.scalars(stmt.limit(limit + 1)))


def member_counts(community_ids: list[int]) -> dict[int, int]:
    """Return the number of active members of each community."""
    if not community_ids:
        return {}
    rows = db.session.execute(
        sa.select(Membership.community_id, sa.func.count())
        .where(Membership.community_id.in_(community_ids), Membership.status == "active")
        .group_by(Membership.community_id)
    )
    return dict(rows.all())


def leaders_of(community_ids: list[int]) -> dict[int, list[tuple[User, str]]]:
    """Return each community's leaders and deputies (holders of the leader role), with titles."""
    found: dict[int, list[tuple[User, str]]] = {cid: [] for cid in community_ids}
    if not community_ids:
        return found
    rows = db.session.execute(
        sa.select(RoleGrant.community_id, User, Membership.leader_title)
        .select_from(User)
        .join(RoleGrant, RoleGrant.user_id == User.id)
        .outerjoin(
            Membership,
            sa.and_(
                Membership.user_id == User.id, Membership.community_id == RoleGrant.community_id
            ),
        )
        .where(RoleGrant.role == LEADER_ROLE, RoleGrant.community_id.in_(community_ids))
        .order_by(Membership.leader_title.desc().nulls_last(), User.id)
    )
    for community_id, user, title in rows.all():
        found[community_id].append((user, title or "leader"))
    return found


def leaders(community: Community) -> list[tuple[User, str]]:
    """Return the community's leaders and deputies (holders of the leader role), with titles."""
    return leaders_of([community.id])[community.id]


def leader_titles(community: Community) -> dict[int, str]:
    """Return {user_id: "leader" | "deputy"} for the community's leaders."""
    return {user.id: title for user, title in leaders(community)}


def membership(community_id: int, user_id: int) -> Membership | None:
    """Return a person's membership of a community, if any (pending included)."""
    return db.session.scalar(
        sa.select(Membership).where(
            Membership.community_id == community_id, Membership.user_id == user_id
        )
    )


def memberships_in(community_ids: list[int], user_id: int) -> dict[int, Membership]:
    """Return a person's memberships of these communities, by community (pending included)."""
    if not community_ids:
        return {}
    rows = db.session.scalars(
        sa.select(Membership).where(
            Membership.community_id.in_(community_ids), Membership.user_id == user_id
        )
    )
    return {found.community_id: found for found in rows}


def active_membership(community_id, user_id) -> sa.Exists:
    """Return the rule "an active member of the community" as an EXISTS clause.

    `community_id` and `user_id` are values or columns: the polls module composes the rule
    into its ballot statement and its lists, and is_member() asks it directly.
    """
    return sa.exists().where(
        Membership.community_id == community_id,
        Membership.user_id == user_id,
        Membership.status == "active",
    )


def active_community(community_id) -> sa.ColumnElement[bool]:
    """Return the rule "the community is active" (a leader, enough active members) as SQL.

    `community_id` is a value or a column: the registry's list and the indicator compose the
    one rule into their queries (a NULL id, a group without community, is not active).
    """
    members = (
        sa.select(sa.func.count())
        .where(Membership.community_id == community_id, Membership.status == "active")
        .scalar_subquery()
    )
    led = sa.exists().where(
        Membership.community_id == community_id,
        Membership.status == "active",
        Membership.leader_title.is_not(None),
    )
    return sa.and_(led, members >= ACTIVE_MIN_MEMBERS)


def is_member(community_id: int, user: User | None) -> bool:
    """Tell whether the user is an active member of the community."""
    if user is None:
        return False
    return bool(db.session.scalar(sa.select(active_membership(community_id, user.id))))


def _ensure_membership(community: Community, user: User, status: str) -> Membership:
    """Insert the membership unless it exists (the unique key decides), then return it."""
    insert_ignore(
        Membership,
        [{"community_id": community.id, "user_id": user.id, "status": status}],
        ["community_id", "user_id"],
    )
    found = membership(community.id, user.id)
    db.session.refresh(found)
    return found


def normalise_invite_code(typed: str | None) -> str:
    """Return an invite code as stored, from what a resident types ("abcd efgh", "ABCD-EFGH")."""
    return "".join((typed or "").split()).replace("-", "").upper()


def by_invite_code(invite_code: str | None) -> Community:
    """Return the community whose invite code this is, as a resident types it (403 if none)."""
    given = normalise_invite_code(invite_code)
    found = db.session.scalar(sa.select(Community).where(Community.invite_code == given))
    if found is None:
        raise InvalidInviteCode.on_field(
            "invite_code", "Mã mời", "Mã mời không đúng; hãy kiểm tra lại với tổ trưởng."
        )
    return found


def join(*, community: Community, user: User, invite_code: str | None) -> Membership:
    """Join with the invite code, or ask to join (pending until a leader approves)."""
    if invite_code is None:
        return _ensure_membership(community, user, "pending")
    given = normalise_invite_code(invite_code).encode()
    if not hmac.compare_digest(given, community.invite_code.encode()):
        raise InvalidInviteCode.on_field(
            "invite_code", "Mã mời", "Mã mời không đúng; hãy kiểm tra lại với tổ trưởng."
        )
    found = _ensure_membership(community, user, "active")
    if found.status != "active":
        found.status = "active"
    follow_ward(user=user, ward_code=community.ward_code)
    db.session.flush()
    return found


def leave(*, community: Community, user: User) -> None:
    """Leave a community (a leader leaving also gives up the leader role)."""
    if _drop_leader_grant(community, user.id):
        _audit_member("role.revoked", community, user.id)
    db.session.execute(
        sa.delete(Membership).where(
            Membership.community_id == community.id, Membership.user_id == user.id
        )
    )
    db.session.flush()


def _audit_member(action: str, community: Community, user_id: int) -> None:
    """Write an act on a membership to the ward's audit log: the member is an account
    number, never a name."""
    record(
        action,
        "membership",
        f"{community.id}/{user_id}",
        f"{community.name} · tài khoản #{user_id}",
        ward_code=community.ward_code,
    )


def add_member(*, community: Community, user: User) -> Membership:
    """Add a signed-in resident directly (by a leader or ward staff); they follow the ward."""
    found = _ensure_membership(community, user, "active")
    found.status = "active"
    follow_ward(user=user, ward_code=community.ward_code)
    db.session.flush()
    _audit_member("member.added", community, user.id)
    return found


def get_membership(community: Community, user_id: int) -> Membership:
    """Return a membership of this community or raise NotFound."""
    found = membership(community.id, user_id) if valid_id(user_id) else None
    if found is None:
        raise MemberNotFound("Người này không thuộc cộng đồng.")
    return found


def approve(*, community: Community, user_id: int) -> Membership:
    """Approve a pending request to join; the new member follows the ward."""
    found = get_membership(community, user_id)
    found.status = "active"
    follow_ward(user=found.user, ward_code=community.ward_code)
    db.session.flush()
    _audit_member("member.approved", community, user_id)
    return found


def remove_member(*, community: Community, user_id: int) -> None:
    """Remove a member (or refuse a pending request); a removed leader loses the role."""
    found = get_membership(community, user_id)
    if _drop_leader_grant(community, user_id):
        _audit_member("role.revoked", community, user_id)
    db.session.delete(found)
    db.session.flush()
    _audit_member("member.removed", community, user_id)


def _drop_leader_grant(community: Community, user_id: int) -> int:
    """Delete the person's leader grant on the community; return how many rows went."""
    return db.session.execute(
        sa.delete(RoleGrant).where(
            RoleGrant.user_id == user_id,
            RoleGrant.role == LEADER_ROLE,
            RoleGrant.community_id == community.id,
        )
    ).rowcount


def set_household(*, community: Community, user: User, household: str | None) -> Membership:
    """State (or clear) the member's household id; it waits for a leader's confirmation."""
    found = membership(community.id, user.id)
    if found is None or found.status != "active":
        raise NotAMember("Bạn chưa là thành viên của cộng đồng này.")
    found.household = household
    found.household_confirmed = False
    db.session.flush()
    return found


def confirm_household(*, community: Community, user_id: int) -> Membership:
    """Confirm the household a member stated."""
    found = get_membership(community, user_id)
    if not found.household:
        raise NoHouseholdStated("Thành viên chưa khai báo hộ gia đình.")
    found.household_confirmed = True
    db.session.flush()
    return found


def appoint_leader(
    *, community: Community, user: User, deputy: bool, appointed_by: User
) -> Membership:
    """Make a person a leader (or deputy): the leader role, plus membership and a ward follow."""
    identity.grant_role(
        user=user,
        role=LEADER_ROLE,
        ward_code=community.ward_code,
        community_id=community.id,
        granted_by=appointed_by,
    )
    found = add_member(community=community, user=user)
    found.leader_title = "deputy" if deputy else "leader"
    db.session.flush()
    return found


def dismiss_leader(*, community: Community, user_id: int) -> None:
    """Take the leader role away; the person stays a member."""
    if _drop_leader_grant(community, user_id):
        # The grant goes here, not through identity's revoke: the act is logged here too.
        _audit_member("role.revoked", community, user_id)
    found = membership(community.id, user_id) if valid_id(user_id) else None
    if found is not None:
        found.leader_title = None
    db.session.flush()


def list_members(
    *, community: Community, limit: int, after_id: int | None, active_only: bool
) -> list[Membership]:
    """List memberships by id (keyset)."""
    stmt = (
        sa.select(Membership)
        .where(Membership.community_id == community.id)
        .order_by(Membership.id)
        .options(sa.orm.joinedload(Membership.user))
    )
    if active_only:
        stmt = stmt.where(Membership.status == "active")
    if after_id:
        stmt = stmt.where(Membership.id > after_id)
    return list(db.session.scalars(stmt.limit(limit + 1)))


def memberships_of(user: User) -> list[Membership]:
    """Return every membership of a person."""
    return list(
        db.session.scalars(
            sa.select(Membership)
            .where(Membership.user_id == user.id)
            .order_by(Membership.id)
            .options(sa.orm.joinedload(Membership.community))
        )
    )


def follow_ward(*, user: User, ward_code: str) -> None:
    """Follow a ward (idempotent)."""
    insert_ignore(
        WardFollow, [{"user_id": user.id, "ward_code": ward_code}], ["user_id", "ward_code"]
    )


def unfollow_ward(*, user: User, ward_code: str) -> None:
    """Stop following a ward (idempotent)."""
    db.session.execute(
        sa.delete(WardFollow).where(
            WardFollow.user_id == user.id, WardFollow.ward_code == ward_code
        )
    )


def is_following(*, user: User, ward_code: str) -> bool:
    """Tell whether the user follows the ward."""
    return bool(
        db.session.scalar(
            sa.select(WardFollow.id).where(
                WardFollow.user_id == user.id, WardFollow.ward_code == ward_code
            )
        )
    )


def followed_wards(user: User) -> list[str]:
    """Return the codes of the wards the user follows."""
    return list(
        db.session.scalars(
            sa.select(WardFollow.ward_code)
            .where(WardFollow.user_id == user.id)
            .order_by(WardFollow.ward_code)
        )
    )


def follower_count(ward_code: str) -> int:
    """Count a ward's followers."""
    return count(sa.select(WardFollow.id).where(WardFollow.ward_code == ward_code))


def export_data(user: User) -> dict:
    """Return the person's memberships, households and followed wards."""
    return {
        "community_memberships": [
            {
                "community_id": m.community_id,
                "community": m.community.name,
                "ward": m.community.ward_code,
                "status": m.status,
                "leader_title": m.leader_title,
                "household": m.household,
                "household_confirmed": m.household_confirmed,
                "joined_at": local_isoformat(m.joined_at),
            }
            for m in memberships_of(user)
        ],
        "followed_wards": followed_wards(user),
    }


def erase(user: User) -> None:
    """Remove the person's memberships (with households) and follows."""
    db.session.execute(sa.delete(Membership).where(Membership.user_id == user.id))
    db.session.execute(sa.delete(WardFollow).where(WardFollow.user_id == user.id))
    db.session.flush()
