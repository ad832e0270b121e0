"""Community endpoints: communities, membership, leaders, households, ward follows."""

from urllib.parse import quote

from flask import Response, request
from flask_smorest import Blueprint

from app import qr
from app.extensions import limiter
from app.idempotency import idempotent_create
from app.identity import auth
from app.identity import service as identity
from app.identity.models import User
from app.identity.policy import require
from app.pagination import PageArgsSchema, decode_id_cursor, page
from app.wards import service as wards
from community import flows, permissions
from community.groups import registry, service
from community.groups.exceptions import NotAMember, UserNotFound
from community.groups.models import KIND_LABELS, LEADER_LABELS, Community, Membership
from community.groups.schemas import (
    CommunityCreateSchema,
    CommunityListArgsSchema,
    CommunityListSchema,
    CommunitySchema,
    FollowSchema,
    HouseholdSchema,
    JoinSchema,
    LeaderAppointSchema,
    MemberAddSchema,
    MemberListSchema,
    MemberSchema,
    MembershipSchema,
    MyCommunitiesSchema,
)

blp = Blueprint(
    "communities", __name__, description="Cộng đồng số: tổ dân phố, thôn, chi bộ, chi hội"
)


def join_url(community: Community, *, ward_slug: str | None = None) -> str:
    """Return the link the invite QR code opens, on whatever host served this request."""
    slug = ward_slug or wards.get(community.ward_code).slug
    return (
        f"{request.host_url.rstrip('/')}/w/{slug}/join/{community.id}"
        f"?code={quote(community.invite_code)}"
    )


def _communities_out(
    communities: list[Community], user, *, ward_slug: str | None = None
) -> list[dict]:
    """Build communities as the caller may see them, reading each kind of row once for all."""
    ids = [c.id for c in communities]
    counts = service.member_counts(ids)
    leaders = service.leaders_of(ids)
    mine = service.memberships_in(ids, user.id) if user else {}
    return [
        _community_out(
            c,
            user,
            count=counts.get(c.id, 0),
            leaders=leaders[c.id],
            found=mine.get(c.id),
            ward_slug=ward_slug,
        )
        for c in communities
    ]


def _community_out(
    community: Community,
    user,
    *,
    count: int,
    leaders: list[tuple[User, str]],
    found: Membership | None,
    ward_slug: str | None,
) -> dict:
    """Build the community as the caller may see it, from rows already read."""
    out = {
        "id": community.id,
        "ward": community.ward_code,
        "name": community.name,
        "kind": community.kind,
        "kind_label": KIND_LABELS[community.kind],
        "leader_label": LEADER_LABELS[community.kind],
        "member_count": count,
        "leaders": [{"name": u.name, "title": t} for u, t in leaders],
        "residential_group_id": community.residential_group_id,
        "my_status": found.status if found else None,
        "created_at": community.created_at,
    }
    if permissions.can_see_invite_code(user, community):
        out["invite_code"] = community.invite_code
        out["join_url"] = join_url(community, ward_slug=ward_slug)
    return out


def _membership_out(found: Membership) -> dict:
    return {
        "community_id": found.community_id,
        "user_id": found.user_id,
        "status": found.status,
        "leader_title": found.leader_title,
        "household": found.household,
        "household_confirmed": found.household_confirmed,
        "joined_at": found.joined_at,
    }


@blp.get("/api/v1/wards/<ward>/communities")
@blp.arguments(CommunityListArgsSchema, location="query")
@blp.response(200, CommunityListSchema)
def list_communities(args, ward):
    """List a ward's communities (by kind, or by name with or without diacritics)."""
    found = wards.get(ward)
    user = auth.current_user()
    rows = service.list_for_ward(
        ward_code=found.code,
        kind=args["kind"],
        q=args["q"],
        limit=args["limit"],
        after_id=decode_id_cursor(args["cursor"]),
    )
    result = page(rows, limit=args["limit"], key=lambda c: [c.id])
    result["items"] = _communities_out(result["items"], user, ward_slug=found.slug)
    return result


@blp.post("/api/v1/wards/<ward>/communities")
@idempotent_create(blp)
@blp.arguments(CommunityCreateSchema)
@blp.response(201, CommunitySchema)
def create_community(args, ward):
    """Create a community in the ward (ward staff); the answer carries its invite code.

    `residential_group_id` names the registry's tổ dân phố or thôn it is the community of:
    a group of the ward, of the same kind, without a community yet.
    """
    user = auth.require_user()
    found = wards.get(ward)
    require(permissions.can_create_community(user, found.code))
    group = None
    if args["residential_group_id"] is not None:
        group = registry.group_to_link(
            ward_code=found.code, group_id=args["residential_group_id"], kind=args["kind"]
        )
    community = service.create(
        ward_code=found.code,
        name=args["name"],
        kind=args["kind"],
        created_by=user,
        residential_group=group,
    )
    (out,) = _communities_out([community], user, ward_slug=found.slug)
    return out


@blp.get("/api/v1/communities/<int:community_id>")
@blp.response(200, CommunitySchema)
def get_community(community_id):
    """Get a community: name, kind, ward, leaders, member count."""
    (out,) = _communities_out([service.get(community_id)], auth.current_user())
    return out


@blp.get("/api/v1/communities/<int:community_id>/invite-qr.png")
@blp.response(200, content_type="image/png")
def invite_qr(community_id):
    """Get the invite QR code (PNG) that opens the join page, for the group's meeting board."""
    user = auth.require_user()
    community = service.get(community_id)
    require(permissions.can_see_invite_code(user, community))
    response = Response(qr.png(join_url(community)), mimetype="image/png")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@blp.post("/api/v1/communities/<int:community_id>/invite-code")
@blp.response(200, CommunitySchema)
def rotate_invite_code(community_id):
    """Replace the invite code (its leaders and ward staff); the old code stops working."""
    user = auth.require_user()
    community = service.get(community_id)
    require(permissions.can_see_invite_code(user, community))
    (out,) = _communities_out([service.rotate_invite_code(community)], user)
    return out


@blp.post("/api/v1/communities/join")
@limiter.limit("20/minute", key=auth.account_key)
@blp.arguments(JoinSchema)
@blp.response(200, MembershipSchema)
def join_by_code(args):
    """Join the community whose invite code the resident types (told by phone, read off a board).

    The answer names the community joined (`community_id`); a wrong code is 403.
    """
    user = auth.require_user()
    community = service.by_invite_code(args["invite_code"])
    found = service.join(community=community, user=user, invite_code=community.invite_code)
    flows.joined(community=community, user=user, membership=found)
    return _membership_out(found)


@blp.post("/api/v1/communities/<int:community_id>/join")
@limiter.limit("20/minute", key=auth.account_key)
@blp.arguments(JoinSchema)
@blp.response(200, MembershipSchema)
def join(args, community_id):
    """Join with the invite code (joining follows the ward), or ask to join without one."""
    user = auth.require_user()
    community = service.get(community_id)
    found = service.join(community=community, user=user, invite_code=args["invite_code"])
    flows.joined(community=community, user=user, membership=found)
    return _membership_out(found)


@blp.get("/api/v1/communities/<int:community_id>/membership")
@blp.response(200, MembershipSchema)
def my_membership(community_id):
    """Get the caller's membership of the community (404 if none)."""
    user = auth.require_user()
    community = service.get(community_id)
    found = service.membership(community.id, user.id)
    if found is None:
        raise NotAMember("Bạn chưa là thành viên của cộng đồng này.")
    return _membership_out(found)


@blp.put("/api/v1/communities/<int:community_id>/membership")
@blp.arguments(HouseholdSchema)
@blp.response(200, MembershipSchema)
def state_household(args, community_id):
    """State the caller's household id (a leader then confirms it)."""
    user = auth.require_user()
    community = service.get(community_id)
    return _membership_out(
        service.set_household(community=community, user=user, household=args["household"])
    )


@blp.delete("/api/v1/communities/<int:community_id>/membership")
@blp.response(204)
def leave(community_id):
    """Leave the community (idempotent)."""
    user = auth.require_user()
    flows.left(community=service.get(community_id), user=user)


@blp.get("/api/v1/communities/<int:community_id>/members")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, MemberListSchema)
def list_members(args, community_id):
    """List members: leaders and staff see everyone with roles, members see names only."""
    user = auth.require_user()
    community = service.get(community_id)
    view = permissions.member_list_view(user, community)
    require(view is not None, "Chỉ thành viên mới xem được danh sách thành viên.")
    rows = service.list_members(
        community=community,
        limit=args["limit"],
        after_id=decode_id_cursor(args["cursor"]),
        active_only=view != "full",
    )
    result = page(rows, limit=args["limit"], key=lambda m: [m.id])
    titles = service.leader_titles(community) if view == "full" else {}
    items = []
    for m in result["items"]:
        if view == "full":
            items.append(
                {
                    "user_id": m.user_id,
                    "name": m.user.name,
                    "role": titles.get(m.user_id, "member"),
                    "status": m.status,
                    "household": m.household,
                    "household_confirmed": m.household_confirmed,
                    "joined_at": m.joined_at,
                }
            )
        else:
            items.append({"name": m.user.name})
    result["items"] = items
    return result


def _person(*, user_id: int | None = None, sub: str | None = None):
    """Find a person who has signed in at least once."""
    if sub is not None:
        found = identity.find_by_sub(sub)
        person = found[0] if found else None
    else:
        person = identity.get_user(user_id)
    if person is None or person.erased_at is not None:
        raise UserNotFound("Người này chưa đăng nhập lần nào.")
    return person


@blp.post("/api/v1/communities/<int:community_id>/members")
@idempotent_create(blp)
@blp.arguments(MemberAddSchema)
@blp.response(201, MemberSchema)
def add_member(args, community_id):
    """Add a signed-in resident to the community (its leaders and ward staff)."""
    user = auth.require_user()
    community = service.get(community_id)
    require(permissions.can_run(user, community))
    person = _person(sub=args["sub"])
    found = service.add_member(community=community, user=person)
    flows.joined(community=community, user=person, membership=found)
    return _member_out(community, found)


def _member_out(community: Community, found: Membership) -> dict:
    return {
        "user_id": found.user_id,
        "name": found.user.name,
        "role": service.leader_titles(community).get(found.user_id, "member"),
        "status": found.status,
        "household": found.household,
        "household_confirmed": found.household_confirmed,
        "joined_at": found.joined_at,
    }


@blp.delete("/api/v1/communities/<int:community_id>/members/<int:user_id>")
@blp.response(204)
def remove_member(community_id, user_id):
    """Remove a member or refuse a request to join (only staff remove a leader)."""
    user = auth.require_user()
    community = service.get(community_id)
    require(permissions.can_run(user, community))
    is_leader = user_id in service.leader_titles(community)
    require(permissions.can_remove_member(user, community, target_is_leader=is_leader))
    flows.removed(community=community, user_id=user_id)


@blp.post("/api/v1/communities/<int:community_id>/members/<int:user_id>/approve")
@blp.response(200, MemberSchema)
def approve_member(community_id, user_id):
    """Approve a request to join (its leaders and ward staff)."""
    user = auth.require_user()
    community = service.get(community_id)
    require(permissions.can_run(user, community))
    found = service.approve(community=community, user_id=user_id)
    flows.joined(community=community, user=found.user, membership=found)
    return _member_out(community, found)


@blp.post("/api/v1/communities/<int:community_id>/members/<int:user_id>/confirm-household")
@blp.response(200, MemberSchema)
def confirm_household(community_id, user_id):
    """Confirm the household a member stated (its leaders and ward staff)."""
    user = auth.require_user()
    community = service.get(community_id)
    require(permissions.can_run(user, community))
    return _member_out(community, service.confirm_household(community=community, user_id=user_id))


@blp.post("/api/v1/communities/<int:community_id>/leaders")
@idempotent_create(blp)
@blp.arguments(LeaderAppointSchema)
@blp.response(201, MemberSchema)
def appoint_leader(args, community_id):
    """Appoint a leader or deputy (ward staff): grants the community_leader role."""
    user = auth.require_user()
    community = service.get(community_id)
    require(permissions.can_appoint_leaders(user, community))
    person = _person(user_id=args["user_id"], sub=args["sub"])
    found = service.appoint_leader(
        community=community, user=person, deputy=args["deputy"], appointed_by=user
    )
    flows.joined(community=community, user=person, membership=found)
    return _member_out(community, found)


@blp.delete("/api/v1/communities/<int:community_id>/leaders/<int:user_id>")
@blp.response(204)
def dismiss_leader(community_id, user_id):
    """Dismiss a leader or deputy (ward staff); they stay a member."""
    user = auth.require_user()
    community = service.get(community_id)
    require(permissions.can_appoint_leaders(user, community))
    service.dismiss_leader(community=community, user_id=user_id)


@blp.get("/api/v1/me/communities")
@blp.response(200, MyCommunitiesSchema)
def my_communities():
    """List the caller's communities and the wards they follow."""
    user = auth.require_user()
    return {
        "items": [
            {
                **_membership_out(m),
                "community": {
                    "id": m.community.id,
                    "name": m.community.name,
                    "kind": m.community.kind,
                    "kind_label": KIND_LABELS[m.community.kind],
                    "ward": m.community.ward_code,
                },
            }
            for m in service.memberships_of(user)
        ],
        "followed_wards": service.followed_wards(user),
    }


@blp.post("/api/v1/wards/<ward>/follow")
@blp.response(200, FollowSchema)
def follow_ward(ward):
    """Follow a ward to receive its ward-wide notices (idempotent)."""
    user = auth.require_user()
    found = wards.get(ward)
    flows.follow(user=user, ward_code=found.code)
    return {"ward": found.code, "following": True}


@blp.delete("/api/v1/wards/<ward>/follow")
@blp.response(204)
def unfollow_ward(ward):
    """Stop following a ward (idempotent)."""
    user = auth.require_user()
    flows.unfollow(user=user, ward_code=wards.get(ward).code)


@blp.get("/api/v1/wards/<ward>/follow")
@blp.response(200, FollowSchema)
def following(ward):
    """Tell whether the caller follows the ward."""
    user = auth.require_user()
    found = wards.get(ward)
    return {"ward": found.code, "following": service.is_following(user=user, ward_code=found.code)}


# The registry's routes register on this blueprint (the community module's, already installed).
from community.groups import registry_views  # noqa: E402, F401
