"""Domain errors of the notices module (app/errors.py maps them to HTTP)."""

from app.errors import Conflict, NotFound, ValidationFailed


class NoticeNotFound(NotFound):
    """No such notice, or not one the caller may read."""

    code = "notice_not_found"


class NoticeWithdrawn(Conflict):
    """The notice was withdrawn."""

    code = "notice_withdrawn"


class NotADraft(ValidationFailed):
    """Only a draft can be published."""

    code = "not_a_draft"


class CommunityNotInWard(ValidationFailed):
    """An addressed community is not in the notice's ward."""

    code = "community_not_in_ward"


class TooManyImages(ValidationFailed):
    """The notice has as many pictures as it may."""

    code = "too_many_images"


class ImageNotFound(NotFound):
    """No such picture of this notice."""

    code = "image_not_found"


class BroadcastNotFound(NotFound):
    """No such city-wide notice, or not one the caller may see."""

    code = "broadcast_not_found"
