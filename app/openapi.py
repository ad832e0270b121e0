"""OpenAPI helpers shared by the modules' views."""

from collections.abc import Callable
from typing import Any


def doc_only(*decorators: Callable[[Callable], Callable]) -> Callable[[Callable], Callable]:
    """Apply flask-smorest decorators for the OpenAPI documentation they add, not their wrappers.

    For hot views that parse their own input or always return a ready `Response`, where
    flask-smorest's per-request wrappers would do nothing but cost time. The view is
    documented exactly as with the decorators themselves (outermost first, as written).
    """

    def apply(view: Callable[..., Any]) -> Callable[..., Any]:
        documented = view
        for decorator in reversed(decorators):
            documented = decorator(documented)
        view._apidoc = documented._apidoc  # type: ignore[attr-defined]
        return view

    return apply
