"""The Flask class the service runs on: Flask itself, minus per-request work that never changes.

Measured on the public config read (`bench/`, issue 4): Flask re-derives on every request
things that are fixed for the life of the process, and that work was a third of the read's
time in process. Each change here keeps Flask's behaviour; the tests in
tests/app/test_application.py pin what each one must still do.
"""

from __future__ import annotations

import contextlib
import json
import weakref
from collections.abc import Callable
from typing import Any

from flask import Flask, Request
from flask.json.provider import DefaultJSONProvider
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface


class CookieSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, opened without building a signer when there is no cookie.

    Flask builds the cookie's signing serializer (a key derivation included) on every request,
    even when the request carries no session cookie, the case of every public API read and
    every bearer-token call. Without a cookie the answer is the same either way: a new empty
    session (or no session at all when the app has no secret key).
    """

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if app.secret_key and (
            not request.environ.get("HTTP_COOKIE")
            or not request.cookies.get(self.get_cookie_name(app))
        ):
            return self.session_class()
        return super().open_session(app, request)


class StrictJSONProvider(DefaultJSONProvider):
    """Flask's JSON, read strictly: every JSON body the app takes is one unambiguous document.

    A key given twice is refused (parsers disagree on which one wins), NaN and Infinity are
    not JSON, and a document nested deeper than the parser can go is refused as malformed
    (a RecursionError, not a ValueError, would otherwise be a 500). The request guard parses
    each API body once with it and the views read that same parse.
    """

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        kwargs.setdefault("object_pairs_hook", _object_without_duplicates)
        kwargs.setdefault("parse_constant", _not_json)
        try:
            return json.loads(s, **kwargs)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None


def _not_json(constant: str):
    raise ValueError(f"{constant} is not JSON")


def _object_without_duplicates(pairs: list) -> dict:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("duplicate key")
    return result


class Application(Flask):
    """Flask, with the sync/async check of hooks and views remembered per function.

    Flask asks `inspect.iscoroutinefunction` of every before/after/teardown hook and of the view
    on each request (nine times a request here). Whether a function is a coroutine function
    does not change, so the answer is kept per function, weakly: a function made for one
    request (an `after_this_request` closure) is forgotten with it.
    """

    session_interface = CookieSessionInterface()
    json_provider_class = StrictJSONProvider

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._is_sync: weakref.WeakKeyDictionary[Callable[..., Any], bool] = (
            weakref.WeakKeyDictionary()
        )

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        try:
            if self._is_sync[func]:
                return func
        except (KeyError, TypeError):  # TypeError: not weakly referenceable, or unhashable
            result = super().ensure_sync(func)
            with contextlib.suppress(TypeError):  # not weakly referenceable: not remembered
                self._is_sync[func] = result is func
            return result
        return super().ensure_sync(func)
