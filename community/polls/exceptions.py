"""Domain errors of the polls module (app/errors.py maps them to HTTP)."""

from app.errors import Conflict, Forbidden, NotFound, ValidationFailed


class PollNotFound(NotFound):
    """No such poll, or not one the caller may see."""

    code = "poll_not_found"


class PollNotOpen(Conflict):
    """The poll does not take ballots now (not yet open, or closed)."""

    code = "poll_not_open"


class PollStateConflict(Conflict):
    """The poll's state does not allow this step."""

    code = "poll_state_conflict"


class AlreadyVoted(Conflict):
    """This voter (or their household) has already cast a ballot."""

    code = "already_voted"


class NotEligible(Forbidden):
    """The caller is not among the poll's eligible voters."""

    code = "not_eligible"


class LevelRequired(Forbidden):
    """The poll requires a level-2 (fully verified) VNeID identity."""

    code = "vneid_level_required"


class ResultsNotVisible(Forbidden):
    """The poll's visibility rule hides the results from the caller for now."""

    code = "results_not_visible"


class InvalidBallot(ValidationFailed):
    """The ballot does not fit the poll's questions."""

    code = "invalid_ballot"


class PollBroadcastNotFound(NotFound):
    """No such city-wide poll, or not one the caller may see."""

    code = "poll_broadcast_not_found"
