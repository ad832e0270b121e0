"""Domain errors of the groups module (app/errors.py maps them to HTTP)."""

from app.errors import Conflict, DomainError, Forbidden, NotFound, ValidationFailed


class CommunityExists(Conflict):
    """The ward already has a community of this name."""

    code = "community_exists"


class CommunityNotFound(NotFound):
    """No such community."""

    code = "community_not_found"


class InvalidInviteCode(Forbidden):
    """The invite code does not open this community."""

    code = "invalid_invite_code"


class MemberNotFound(NotFound):
    """This person is not in the community."""

    code = "member_not_found"


class NotAMember(NotFound):
    """The caller is not a member of the community."""

    code = "not_a_member"


class NoHouseholdStated(ValidationFailed):
    """The member has not stated a household to confirm."""

    code = "no_household_stated"


class UserNotFound(NotFound):
    """No person with this VNeID subject has signed in yet."""

    code = "user_not_found"


class ResidentialGroupExists(Conflict):
    """The ward's registry already has a group of this name (compared without diacritics)."""

    code = "residential_group_exists"


class ResidentialGroupNotFound(NotFound):
    """No such group in the registry."""

    code = "residential_group_not_found"


class FileTooLarge(DomainError):
    """The uploaded file is larger than the import takes."""

    status = 413
    code = "payload_too_large"
