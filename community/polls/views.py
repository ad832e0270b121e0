"""Poll endpoints: create, read, open, close, cast ballots, results, published ballots."""

import hashlib

from flask import Response, current_app, request
from flask_smorest import Blueprint

from app.apidoc import json_or_csv
from app.database import utcnow
from app.errors import ValidationFailed
from app.extensions import limiter
from app.idempotency import decorators as idempotency
from app.idempotency import idempotent_create
from app.idempotency.decorators import replay_response
from app.identity import auth, policy
from app.identity.models import User
from app.identity.policy import require
from app.pagination import decode_cursor, decode_id_cursor, page
from app.spreadsheet import attachment
from app.wards import service as wards
from community import citywide
from community import permissions as community_permissions
from community.groups import service as groups
from community.polls import permissions, service
from community.polls.exceptions import PollBroadcastNotFound, PollNotFound, ResultsNotVisible
from community.polls.models import KIND_LABELS, STATUS_LABELS, Poll, PollBroadcast
from community.polls.schemas import (
    AuditListSchema,
    BallotListArgsSchema,
    BallotListSchema,
    BallotSchema,
    CloseSchema,
    MyPollListSchema,
    PollBroadcastCreatedSchema,
    PollBroadcastListSchema,
    PollBroadcastReachSchema,
    PollCreateSchema,
    PollListArgsSchema,
    PollListSchema,
    PollSchema,
    ReceiptSchema,
    ResultsArgsSchema,
    ResultsSchema,
)
from community.polls.service import broadcasts

BALLOT_LIMIT = "30/minute"

blp = Blueprint(
    "polls", __name__, description="Biểu quyết, bầu cử, xin ý kiến và khảo sát trong cộng đồng"
)


def _visible_poll(poll_id: int, user: User | None) -> Poll:
    """Return the poll if the caller may see it; 404 otherwise (exists or not)."""
    poll = service.get(poll_id)
    if not permissions.can_see(user, poll):
        raise PollNotFound("Không tìm thấy cuộc bỏ phiếu này.")
    return poll


def _poll_out(
    poll: Poll, user: User | None, *, detail: bool = True, mine: service.Standing | None = None
) -> dict:
    """Build the poll as the caller sees it (`mine`: their standing, if already read)."""
    now = utcnow()
    status = service.status_at(poll, now)
    out = {
        "id": poll.id,
        "ward": poll.ward_code,
        "community_id": poll.community_id,
        "kind": poll.kind,
        "kind_label": KIND_LABELS[poll.kind],
        "title": poll.title,
        "description": poll.description,
        "secret": poll.secret,
        "results_visibility": poll.results_visibility,
        "quorum_percent": poll.quorum_percent,
        "one_per_household": poll.one_per_household,
        "min_vneid_level": poll.min_vneid_level,
        "allow_change": poll.allow_change,
        "status": status,
        "status_label": STATUS_LABELS[status],
        "opens_at": poll.opens_at,
        "closes_at": poll.closes_at,
        "opened_at": poll.opened_at,
        "closed_at": poll.closed_at,
        "eligible": poll.eligible_count,
        "created_at": poll.created_at,
        "my": None,
    }
    if detail:
        out["questions"] = [
            {
                "id": q.id,
                "text": q.text,
                "type": q.type,
                "min_choices": q.min_choices,
                "max_choices": q.max_choices,
                "allow_comment": q.allow_comment,
                "options": [{"id": o.id, "text": o.text} for o in q.options],
            }
            for q in poll.questions
        ]
    if user is not None:
        mine = mine or service.standing(poll, user)
        out["my"] = {
            "eligible": mine.key is not None
            and service.level_suffices(user.vneid_level, poll.min_vneid_level),
            "voted": mine.voted,
            "can_manage": permissions.can_manage(user, poll),
            "results_visible": service.results_visible(poll, voted=mine.voted, now=now),
        }
    return out


_CREATED_DOC = {
    "responses": {
        "201": {
            "description": "The poll; with `wards`, the city-wide poll (its broadcast).",
            "content": {
                "application/json": {
                    "schema": {
                        "oneOf": [
                            {"$ref": "#/components/schemas/Poll"},
                            {"$ref": "#/components/schemas/PollBroadcastCreated"},
                        ]
                    }
                }
            },
        }
    }
}


@blp.post("/api/v1/polls")
@idempotent_create(blp)
@blp.arguments(PollCreateSchema)
@blp.response(201, PollSchema)
@blp.doc(**_CREATED_DOC)
def create_poll(args):
    """Create a poll (ward staff for the ward's followers; staff or leaders for a community);
    with `wards`, one poll to the followers of each of many wards (city admins, department
    staff)."""
    user = auth.require_user()
    ward_names = args.pop("wards")
    department = args.pop("department")
    open_now = args.pop("open")
    if ward_names is not None:
        return _create_broadcast(user, args, ward_names, department, open_now)
    community_id = args.pop("community_id")
    ward_arg = args.pop("ward")
    if community_id is not None:
        community = groups.get(community_id)
        ward_code = community.ward_code
        if ward_arg is not None and wards.get(ward_arg).code != ward_code:
            raise ValidationFailed(
                "Cộng đồng không thuộc phường, xã này.",
                details={"fields": {"community_id": ["not in this ward"]}},
            )
    else:
        ward_code = wards.get(ward_arg).code
    require(permissions.can_create(user, ward_code=ward_code, community_id=community_id))
    poll = service.create(user=user, ward_code=ward_code, community_id=community_id, **args)
    return _poll_out(poll, user)


def _create_broadcast(user, args: dict, names, department: str | None, open_now: bool):
    """Create one poll in each of the named wards (opened, if asked); answer the broadcast."""
    department_code = citywide.sender(user, department, "khảo sát")
    targets = citywide.resolve_wards(names)
    citywide.require_reach(
        user,
        targets,
        department_code=department_code,
        may=lambda w: permissions.can_send_to_ward(
            user, ward_code=w.code, department_code=department_code
        ),
        noun="khảo sát",
    )
    args.pop("ward")
    args.pop("community_id")
    broadcast = broadcasts.create(
        author=user,
        wards=targets,
        department_code=department_code,
        open_now_=open_now,
        poll=args,
    )
    out = PollBroadcastCreatedSchema().dump(_broadcast_out(broadcast, with_polls=True))
    response = current_app.json.response(out)
    response.status_code = 201
    return response


def _sender_out(department) -> dict | None:
    if department is None:
        return None
    return {"code": department.code, "name": department.name, "short_name": department.short_name}


def _broadcast_out(
    broadcast: PollBroadcast,
    *,
    reach: broadcasts.Reach | None = None,
    with_polls: bool = False,
    rows: list | None = None,
) -> dict:
    """Build a city-wide poll as its senders see it (reach: from its polls' snapshots)."""
    if rows is None and (with_polls or reach is None):
        rows = broadcasts.polls_of(broadcast)
    if reach is None:
        reach = broadcasts.totals([broadcast.id]).get(broadcast.id, broadcasts.EMPTY)
    first = rows[0][0] if rows else None
    out = {
        "id": broadcast.id,
        "title": broadcast.title,
        "kind": broadcast.kind,
        "department": _sender_out(broadcast.department),
        "author_name": broadcast.author.name if broadcast.author else None,
        "created_at": broadcast.created_at,
        "opens_at": broadcasts.when(first),
        "closes_at": first.closes_at if first else None,
        "wards": broadcast.ward_count,
        "opened": reach.opened,
        "eligible": reach.eligible,
        "turnout": reach.turnout,
        "share": reach.share,
    }
    if with_polls:
        out["polls"] = [{"id": p.id, "ward": w.code} for p, w in rows]
    return out


def _managed_broadcast(broadcast_id: int) -> PollBroadcast:
    """Return a broadcast the caller manages; otherwise the same 404 as a missing one."""
    user = auth.require_user()
    broadcast = broadcasts.get(broadcast_id)
    if not community_permissions.is_broadcast_manager(user, broadcast):
        raise PollBroadcastNotFound("Không tìm thấy khảo sát gửi nhiều phường, xã này.")
    return broadcast


@blp.get("/api/v1/poll-broadcasts")
@blp.arguments(citywide.BroadcastListArgsSchema, location="query")
@blp.response(200, PollBroadcastListSchema)
def list_poll_broadcasts(args):
    """List the caller's city-wide polls, newest first, with their reach (city admins: all;
    department staff: their departments'; anyone: those they sent)."""
    user = auth.require_user()
    rows = broadcasts.list_for(
        user=user,
        department_codes=policy.staff_department_codes(user),
        before_id=decode_id_cursor(args["cursor"]),
        limit=args["limit"],
        department=args["department"],
    )
    result = page(rows, limit=args["limit"], key=lambda b: [b.id])
    ids = [b.id for b in result["items"]]
    reach = broadcasts.totals(ids)
    firsts = broadcasts.first_polls(ids)
    result["items"] = [
        _broadcast_out(
            b,
            reach=reach.get(b.id, broadcasts.EMPTY),
            rows=[(firsts[b.id], None)] if b.id in firsts else [],
        )
        for b in result["items"]
    ]
    return result


@blp.get("/api/v1/poll-broadcasts/<int:broadcast_id>")
@blp.response(200, PollBroadcastReachSchema)
def get_poll_broadcast(broadcast_id):
    """Get a city-wide poll's reach per ward and in total: followers eligible when each
    ward's poll opened, and those who answered (its senders, city admins)."""
    broadcast = _managed_broadcast(broadcast_id)
    rows = broadcasts.polls_of(broadcast)
    turnout = broadcasts.turnouts([p.id for p, _ in rows])
    reach = broadcasts.Reach(
        wards=len(rows),
        opened=sum(1 for p, _ in rows if p.opened_at is not None),
        eligible=sum(p.eligible_count or 0 for p, _ in rows),
        turnout=sum(turnout.values()),
    )
    out = _broadcast_out(broadcast, reach=reach, with_polls=True, rows=rows)
    now = utcnow()
    out["items"] = [
        {
            "ward": ward.code,
            "name": ward.name,
            "poll_id": poll.id,
            "status": service.status_at(poll, now),
            "eligible": poll.eligible_count,
            "turnout": turnout.get(poll.id, 0),
            "share": broadcasts.share(turnout.get(poll.id, 0), poll.eligible_count),
        }
        for poll, ward in rows
    ]
    return out


@blp.get("/api/v1/polls")
@blp.arguments(PollListArgsSchema, location="query")
@blp.response(200, PollListSchema)
def list_polls(args):
    """List the polls the caller may see, newest first (by ward or community)."""
    user = auth.current_user()
    ward_code = wards.get(args["ward"]).code if args["ward"] else None
    before_id = decode_id_cursor(args["cursor"])
    led = {
        g.community_id
        for g in (user.grants if user else [])
        if g.role == "community_leader" and g.community_id
    }
    rows = service.list_visible(
        user=user,
        ward_code=ward_code,
        community_id=args["community_id"],
        status=args["status"],
        limit=args["limit"],
        before_id=before_id,
        manager_wards=policy.staff_ward_codes(user),
        led_communities=led,
    )
    result = page(rows, limit=args["limit"], key=lambda p: [p.id])
    mine = service.standings(result["items"], user) if user is not None else {}
    result["items"] = [
        _poll_out(p, user, detail=False, mine=mine.get(p.id)) for p in result["items"]
    ]
    return result


@blp.get("/api/v1/me/polls")
@blp.response(200, MyPollListSchema)
def my_polls():
    """List the polls open now in the caller's communities and followed wards."""
    user = auth.require_user()
    polls = service.open_for(user)
    mine = service.standings(polls, user)
    return {"items": [_poll_out(p, user, mine=mine[p.id]) for p in polls]}


@blp.get("/api/v1/polls/<int:poll_id>")
@blp.response(200, PollSchema)
def get_poll(poll_id):
    """Get a poll with its questions and options, and the caller's standing in it."""
    user = auth.current_user()
    poll = _visible_poll(poll_id, user)
    return _poll_out(poll, user)


@blp.post("/api/v1/polls/<int:poll_id>/open")
@blp.response(200, PollSchema)
def open_poll(poll_id):
    """Open a draft or scheduled poll now (its managers); eligibility is fixed at this moment."""
    user = auth.require_user()
    poll = _visible_poll(poll_id, user)
    require(permissions.can_manage(user, poll))
    return _poll_out(service.open_now(poll, actor=user), user)


@blp.post("/api/v1/polls/<int:poll_id>/close")
@blp.arguments(CloseSchema)
@blp.response(200, PollSchema)
def close_poll(args, poll_id):
    """Close an open poll now (its managers); closing before the set time is audited."""
    user = auth.require_user()
    poll = _visible_poll(poll_id, user)
    require(permissions.can_manage(user, poll))
    return _poll_out(service.close_now(poll, actor=user, reason=args["reason"]), user)


@blp.get("/api/v1/polls/<int:poll_id>/audit")
@blp.response(200, AuditListSchema)
def poll_audit(poll_id):
    """List what was done to the poll: creation, opening, closing (its managers)."""
    user = auth.require_user()
    poll = _visible_poll(poll_id, user)
    require(permissions.can_manage(user, poll))
    return {"items": service.audit_log(poll)}


@blp.post("/api/v1/polls/<int:poll_id>/ballots")
# Per sign-in (a session or token: one account's), not per address: a whole meeting voting from
# one Wi-Fi shares nothing. Keyed without a query: the ballot checks its caller in its one
# statement. A retry with the same key replays the ballot and counts here too.
@limiter.limit(BALLOT_LIMIT, key=auth.credential_key)
@blp.arguments(BallotSchema())  # one instance: loading keeps no state
@blp.response(201, ReceiptSchema)
@blp.doc(parameters=[idempotency.PARAMETER])
def cast_ballot(args, poll_id):
    """Cast the caller's ballot; the answer carries the receipt code."""
    raw_key = request.headers.get(idempotency.HEADER)
    key = None
    if raw_key is not None:
        key = service.key_for(raw_key, method="POST", path=request.path, body=request.get_json())
    caller = auth.credential()
    if caller is None:
        auth.require_user()  # 401
    outcome = service.cast_ballot(poll_id=poll_id, caller=caller, answers=args["answers"], key=key)
    if isinstance(outcome, service.NotWritten):
        user = auth.require_user()
        outcome = service.explain_refusal(
            poll=_visible_poll(poll_id, user),
            user=user,
            caller=caller,
            answers=args["answers"],
            key=key,
            refusal=outcome,
        )
    if isinstance(outcome, service.Replay):
        return replay_response(outcome)
    return outcome


@blp.get("/api/v1/polls/<int:poll_id>/results")
@blp.arguments(ResultsArgsSchema, location="query")
@blp.response(200, ResultsSchema)
@blp.doc(
    **json_or_csv(ResultsSchema, "The results (JSON, or CSV with ?format=csv); X-Content-SHA256")
)
def poll_results(args, poll_id):
    """Get the results when the poll's visibility rule allows (403 before); JSON or CSV."""
    user = auth.current_user()
    poll = _visible_poll(poll_id, user)
    voted = service.standing(poll, user).voted
    if not service.results_visible(poll, voted=voted):
        rule = {
            "after_vote": "Kết quả hiện sau khi bạn bỏ phiếu.",
            "after_close": "Kết quả hiện sau khi cuộc bỏ phiếu kết thúc.",
        }.get(poll.results_visibility, "Cuộc bỏ phiếu chưa mở.")
        raise ResultsNotVisible(
            rule,
            details={
                "results_visibility": poll.results_visibility,
                "status": service.status_at(poll, utcnow()),
            },
        )
    results = service.tally(poll)
    canonical = service.canonical_export(results)
    digest = hashlib.sha256(canonical).hexdigest()
    if args["format"] in ("json", "csv"):
        if args["format"] == "csv":
            data, mimetype, ext = service.csv_export(results), "text/csv", "csv"
            digest = hashlib.sha256(data).hexdigest()
        else:
            data, mimetype, ext = canonical, "application/json", "json"
        response = Response(data, mimetype=mimetype)
        response.headers["X-Content-SHA256"] = digest
        response.headers.update(attachment(f"ket-qua-bieu-quyet-{poll.id}.{ext}"))
        response.headers["Cache-Control"] = "no-store"
        return response
    return dict(results, sha256=digest)


@blp.get("/api/v1/polls/<int:poll_id>/ballots")
@blp.arguments(BallotListArgsSchema, location="query")
@blp.response(200, BallotListSchema)
def published_ballots(args, poll_id):
    """List a closed poll's ballots by receipt hash, sorted, so that anyone can recount."""
    user = auth.current_user()
    poll = _visible_poll(poll_id, user)
    after = decode_cursor(args["cursor"], shape=(str,))
    rows = service.published_ballots(
        poll=poll,
        limit=args["limit"],
        after=after[0] if after else None,
        receipt_hash=args["receipt_hash"],
    )
    return page(rows, limit=args["limit"], key=lambda b: [b["receipt_hash"]])
