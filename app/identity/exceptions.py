"""Identity errors."""

from app.errors import Conflict, DomainError, Forbidden


class SignInFailed(DomainError):
    """The OpenID Connect exchange failed; nobody is signed in."""

    status = 400
    code = "sign_in_failed"


class CsrfFailed(Forbidden):
    """A cookie-authenticated unsafe request came without the right X-CSRF-Token."""

    code = "csrf_failed"


class LastCityAdmin(Conflict):
    """The city's last administrator may not erase their account."""

    code = "last_city_admin"
