"""Strict marshmallow schemas and fields that speak Vietnamese, for settings and documents.

Strict: unknown fields are refused, "3" is not an integer, 1 is not a boolean. Shared by the
modules' miniapp settings schemas (app/registry.py `MiniappModule`) and the miniapp config
document (miniapps/config/document.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from app import fields as pxs_fields

# --- Vietnamese error messages (user-facing) -------------------------------------------------

MSG_REQUIRED = "Thiếu trường bắt buộc."
MSG_NULL = "Không được để trống (null)."
MSG_UNKNOWN = "Trường không được hỗ trợ."
MSG_OBJECT = "Phải là một đối tượng JSON."
MSG_STRING = "Phải là chuỗi ký tự."
MSG_INTEGER = "Phải là số nguyên."
MSG_BOOLEAN = "Phải là true hoặc false."
MSG_LIST = "Phải là một danh sách."
MSG_BLANK = pxs_fields.MSG_BLANK
MSG_HTTPS = "Phải là địa chỉ https:// hợp lệ (không chấp nhận http://)."

_COMMON_MESSAGES = {
    "required": MSG_REQUIRED,
    "null": MSG_NULL,
    "validator_failed": "Giá trị không hợp lệ.",
}


class StrictSchema(Schema):
    """A schema that rejects unknown fields and speaks Vietnamese."""

    error_messages = {"unknown": MSG_UNKNOWN, "type": MSG_OBJECT}

    class Meta:
        unknown = RAISE


class Text(pxs_fields.Text):
    """A string field with Vietnamese messages; blank text refused, kept as sent (not trimmed)."""

    default_error_messages = {
        **_COMMON_MESSAGES,
        "invalid": MSG_STRING,
        "invalid_utf8": MSG_STRING,
        "blank": MSG_BLANK,
    }

    def __init__(self, *, strip: bool = False, **kwargs: Any) -> None:
        super().__init__(strip=strip, **kwargs)


class Integer(fields.Integer):
    """A strict integer field: refuses strings, floats and booleans."""

    default_error_messages = {
        **_COMMON_MESSAGES,
        "invalid": MSG_INTEGER,
        "too_large": "Số quá lớn.",
    }

    def __init__(self, **kwargs: Any) -> None:
        # marshmallow already refuses booleans; strict also refuses "3" and 3.0.
        super().__init__(strict=True, **kwargs)


class Flag(fields.Boolean):
    """A strict boolean field: only JSON true or false."""

    default_error_messages = {**_COMMON_MESSAGES, "invalid": MSG_BOOLEAN}

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class ListOf(fields.List):
    """A list field with Vietnamese messages."""

    default_error_messages = {**_COMMON_MESSAGES, "invalid": MSG_LIST}


class Object(fields.Nested):
    """A nested-object field with Vietnamese messages."""

    default_error_messages = {**_COMMON_MESSAGES, "type": MSG_OBJECT}


class AnyObject(fields.Dict):
    """A free-form object field (checked elsewhere) with Vietnamese messages."""

    default_error_messages = {**_COMMON_MESSAGES, "invalid": MSG_OBJECT}


def not_blank(value: str) -> None:
    """Reject a string that is empty or only whitespace."""
    if not value.strip():
        raise ValidationError(MSG_BLANK)


def length(minimum: int, maximum: int) -> validate.Length:
    """Return a length validator whose message names the bounds."""
    return validate.Length(
        min=minimum, max=maximum, error=f"Độ dài phải từ {minimum} đến {maximum} ký tự."
    )


def one_of(
    choices: tuple[str, ...] | Mapping[str, str], *, what: str = "Giá trị"
) -> validate.OneOf:
    """Return a choice validator whose message lists the accepted values.

    Given a mapping of codes to Vietnamese labels, the message lists the labels.
    """
    if isinstance(choices, Mapping):
        names = ", ".join(f"{label} ({code})" for code, label in choices.items())
        return validate.OneOf(
            list(choices),
            labels=list(choices.values()),
            error=f"{what} phải là một trong: {names}.",
        )
    return validate.OneOf(choices, error=f"{what} phải là một trong: {', '.join(choices)}.")


def unique_items(values: list[Any]) -> None:
    """Reject a list that holds the same value twice."""
    seen: set[Any] = set()
    for value in values:
        if value in seen:
            raise ValidationError(f"Giá trị «{value}» bị lặp lại; mỗi giá trị chỉ được có một lần.")
        seen.add(value)


_HTTPS_URL = validate.URL(schemes={"https"}, require_tld=True, error=MSG_HTTPS)


def https_url(value: str) -> None:
    """Accept only an absolute https:// URL."""
    if not value.lower().startswith("https://"):
        raise ValidationError(MSG_HTTPS)
    _HTTPS_URL(value)


_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
_PHONE_PATTERNS = (
    re.compile(r"0[1-9][0-9]{8,9}"),  # mobile 09x… (10 digits), landline 024 xxxx xxxx (11)
    re.compile(r"\+84[1-9][0-9]{8,9}"),  # the same in international form
    re.compile(r"1[0-9]{2,3}"),  # short service numbers: 113, 114, 115, 1022
    re.compile(r"1[89]00[0-9]{4}(?:[0-9]{2})?"),  # 1800 / 1900 numbers
)
MSG_PHONE = (
    "Số điện thoại không đúng định dạng Việt Nam "
    "(ví dụ 024 3825 3536, 0912 345 678, +84 912 345 678, 1022 hoặc 1900 1234)."
)


def vietnamese_phone(value: str) -> None:
    """Accept a Vietnamese phone number: landline, mobile, +84, short or 1800/1900 number."""
    compact = _PHONE_SEPARATORS.sub("", value)
    if not any(pattern.fullmatch(compact) for pattern in _PHONE_PATTERNS):
        raise ValidationError(MSG_PHONE)
