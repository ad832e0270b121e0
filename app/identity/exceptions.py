"""Identity errors."""

from app.errors import DomainError, Forbidden


class SignInFailed(DomainError):
    """The OpenID Connect exchange failed; nobody is signed in."""

    status = 400
    code = "sign_in_failed"


class CsrfFailed(Forbidden):
    """A cookie-authenticated unsafe request came without the right X-CSRF-Token."""

    code = "csrf_failed"
