"""What outside systems hear of a poll (webhooks, the change feed): its opening and its close.

Only a ward's polls are announced: they are public, while a community's polls are for its
members. The close carries the results, which are public once a ward's poll has closed
(results.results_visible); a secret ballot's announcement carries its totals only, and free
answers are never sent (they are residents' own words).
"""

from app import events
from app.fields import local_isoformat
from community.polls.models import Poll
from community.polls.service.results import tally


def _base(poll: Poll) -> dict:
    return {
        "id": poll.id,
        "ward": poll.ward_code,
        "kind": poll.kind,
        "title": poll.title,
        "secret": poll.secret,
        "opens_at": local_isoformat(poll.opens_at) if poll.opens_at else None,
        "closes_at": local_isoformat(poll.closes_at) if poll.closes_at else None,
    }


def opened(poll: Poll) -> None:
    """Announce that a ward's poll has opened (once: the caller won the transition)."""
    if poll.community_id is not None:
        return
    data = _base(poll) | {
        "opened_at": local_isoformat(poll.opened_at),
        "eligible": poll.eligible_count,
    }
    events.emit("poll.opened", data, ward_code=poll.ward_code)


def closed(poll: Poll) -> None:
    """Announce that a ward's poll has closed for good, with its results (once)."""
    if poll.community_id is not None:
        return
    counted = tally(poll)
    data = _base(poll) | {
        "opened_at": local_isoformat(poll.opened_at) if poll.opened_at else None,
        "closed_at": local_isoformat(poll.closed_at),
        "eligible": counted["eligible"],
        "turnout": counted["turnout"],
        "quorum_percent": counted["quorum_percent"],
        "quorum_reached": counted["quorum_reached"],
    }
    if not poll.secret:
        data["questions"] = [
            {
                "id": q["id"],
                "text": q["text"],
                "options": [
                    {"id": o["id"], "text": o["text"], "count": o["count"]} for o in q["options"]
                ],
            }
            for q in counted["questions"]
            if q["type"] == "choice"
        ]
    events.emit("poll.closed", data, ward_code=poll.ward_code)
