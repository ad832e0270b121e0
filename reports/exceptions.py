"""Domain errors of the field-reports module (app/errors.py maps them to HTTP)."""

from app.errors import Conflict, DomainError, Forbidden, NotFound, ValidationFailed


class ReportNotFound(NotFound):
    """No such report."""

    code = "report_not_found"


class PhotoNotFound(NotFound):
    """No such photo of this report, or not one the caller may see."""

    code = "photo_not_found"


class CategoryNotFound(NotFound):
    """No such category in this ward."""

    code = "report_category_not_found"


class CategoryExists(Conflict):
    """The ward already has a category with this code."""

    code = "report_category_exists"


class TransitionNotAllowed(Conflict):
    """The report cannot move from its status to the one asked."""

    code = "transition_not_allowed"


class ReopenClosed(Conflict):
    """The report is not resolved, or was resolved more than REOPEN_DAYS ago."""

    code = "reopen_not_allowed"


class AlreadyRated(Conflict):
    """The report has its rating already."""

    code = "already_rated"


class NotYetClosed(Conflict):
    """Only a closed report can be rated."""

    code = "report_not_closed"


class NotTheReporter(Forbidden):
    """Only the person who sent the report may do this."""

    code = "not_the_reporter"


class InvalidPhoto(ValidationFailed):
    """A file sent as a photo is not a JPEG, PNG or WebP picture (or is far too big a canvas)."""

    code = "invalid_image"


class PhotoTooLarge(DomainError):
    """A photo is over the size limit."""

    status = 413
    code = "payload_too_large"
