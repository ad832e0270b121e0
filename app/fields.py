"""Marshmallow fields shared by every package's schemas, for input the database can take."""

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from marshmallow import ValidationError, fields, validate

MSG_BLANK = "Không được để trống hoặc chỉ gồm khoảng trắng."

# What text refuses, as regular-expression character-class contents that mean the same in
# Python's `re` (the check) and in ECMA-262 (the OpenAPI `pattern`, for clients and fuzzers):
# the one definition of each rule.
#
# Control characters: C0 but tab, line feed and carriage return; DEL. `no_control_chars`.
CONTROL_CLASS = r"\x00-\x08\x0B\x0C\x0E-\x1F\x7F"
# NUL alone: the request guard (app/__init__.py) refuses it in every string of a body or query.
NUL_CLASS = r"\x00"
# Characters that show nothing although they are not whitespace: soft hyphen, combining
# grapheme joiner, Hangul fillers, Mongolian and Khmer invisibles, zero-width space and joiners,
# direction marks and embeddings, word joiner and invisible operators, Braille blank,
# variation selectors, byte order mark. Text made of these and whitespace only is blank.
INVISIBLE_CLASS = (
    r"\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F"
    r"\u202A-\u202E\u2060-\u206F\u2800\u3164\uFE00-\uFE0F\uFEFF\uFFA0"
)
_CONTROL = re.compile(f"[{CONTROL_CLASS}]")
_VISIBLE = re.compile(rf"[^\s{INVISIBLE_CLASS}]")


def text_pattern(*, refused: str = NUL_CLASS, non_blank: bool = True) -> str:
    """Return the OpenAPI `pattern` of text without the `refused` characters, and not blank.

    Not blank: at least one character that is neither whitespace nor invisible. Anchored, as
    JSON Schema patterns are searched, not matched.
    """
    if not non_blank:
        return f"^[^{refused}]*$"
    return f"^[^{refused}]*[^\\s{INVISIBLE_CLASS}{refused}][^{refused}]*$"


def is_blank(text: str) -> bool:
    """Tell whether text shows nothing: empty, whitespace or invisible characters only."""
    return _VISIBLE.search(text) is None


LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# Times are shown in Asia/Ho_Chi_Minh (+07:00) and compared with offsets added: keep a year of
# headroom on both sides of what Python's datetime can hold, or showing one fails (500).
MIN_TIME = datetime(1900, 1, 1, tzinfo=UTC)
MAX_TIME = datetime(9998, 12, 31, tzinfo=UTC)


def no_control_chars(value: str) -> None:
    """Refuse control characters (NUL breaks PostgreSQL text); newlines and tabs are fine."""
    if _CONTROL.search(value):
        raise ValidationError("Không được chứa ký tự điều khiển.")


def local_isoformat(value: datetime) -> str:
    """Return a time as ISO 8601 in Asia/Ho_Chi_Minh, e.g. 2025-07-01T08:00:00+07:00.

    A naive value is taken as UTC: storage holds UTC only (STYLE rule 9), and a naive value
    can only come from a path that read a stored column around its type decorator.
    """
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(LOCAL_TZ).isoformat()


def local_days_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """Return the first moment of local day `first` and of the day after `last`, in UTC.

    A period of local days is the half-open range [start, end) of stored (UTC) times.
    """
    start = datetime.combine(first, time(), tzinfo=LOCAL_TZ)
    end = datetime.combine(last + timedelta(days=1), time(), tzinfo=LOCAL_TZ)
    return start.astimezone(UTC), end.astimezone(UTC)


class Text(fields.String):
    """Text a person types: surrounding whitespace trimmed, blank or whitespace-only refused.

    The one rule for blank text: every text input field is a `Text` (tests/app/test_validation.py
    checks it), so "   " is refused as a title, a name, a body or a code alike. A field that may
    be left out is optional (`load_default=None`), not blank. Two exceptions, each said where
    it is used: `allow_blank=True` loads a blank answer as no answer ("") where the form
    sends an empty box for "nothing to say", or a query filter where empty means "all";
    `strip=False` keeps the text as sent (documents
    compared byte for byte) while still refusing a blank one.
    """

    default_error_messages = {"blank": MSG_BLANK}

    def __init__(self, *, strip: bool = True, allow_blank: bool = False, **kwargs) -> None:
        super().__init__(**kwargs)
        self.strip = strip
        self.allow_blank = allow_blank
        self._document_rules()

    def _document_rules(self) -> None:
        """State in the OpenAPI document what this field refuses, beside its own metadata.

        A field whose values a regular expression or a list of choices already spells out
        is documented by those; any other says it is not blank (`minLength` at least 1 and
        a visible character) and which characters it refuses: control characters where
        `no_control_chars` validates it, NUL everywhere (the request guard).
        """
        if any(isinstance(v, validate.Regexp | validate.OneOf) for v in self.validators):
            return
        if "pattern" in self.metadata or "enum" in self.metadata:
            return
        refused = CONTROL_CLASS if no_control_chars in self.validators else NUL_CLASS
        rules = {"pattern": text_pattern(refused=refused, non_blank=not self.allow_blank)}
        has_min = any(
            isinstance(v, validate.Length) and (v.min or v.equal) for v in self.validators
        )
        if not self.allow_blank and not has_min:
            rules["minLength"] = 1
        # metadata is shared with apispec's field converter, which copies these keys.
        self.metadata = {**rules, **self.metadata}

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if is_blank(text):
            if self.allow_blank:
                return ""
            raise self.make_error("blank")
        return text.strip() if self.strip else text


def label_field(labels: Mapping[str, str], *, of: str) -> fields.String:
    """Return the output field that names a value of `of` in Vietnamese, its labels documented.

    Clients show this label instead of keeping their own copy of the vocabulary's names; the
    labels are defined once, beside the vocabulary in the module's models.
    """
    pairs = ", ".join(f"{code} = {label}" for code, label in labels.items())
    return fields.String(
        dump_only=True,
        metadata={
            "description": f"Tên tiếng Việt của `{of}` / Vietnamese label of `{of}`: {pairs}.",
            "example": next(iter(labels.values())),
        },
    )


class LocalDateTime(fields.AwareDateTime):
    """An ISO 8601 time with its offset: shown in Asia/Ho_Chi_Minh, loaded as an aware UTC time.

    The one datetime field of the API, so that every time leaves it as +07:00 whatever schema
    serialises it. On input, marshmallow's AwareDateTime takes any year from 1 to 9999 in any
    offset, and converting such a time to UTC (to store it) or to +07:00 (to show it)
    overflows: the range is checked here.
    """

    default_error_messages = {
        "invalid": "Thời điểm không hợp lệ; dùng ISO 8601, ví dụ 2025-07-01T08:00:00+07:00.",
        "invalid_awareness": "Thời điểm phải có múi giờ, ví dụ 2025-07-01T08:00:00+07:00.",
        "format": "Thời điểm không hợp lệ.",
        "out_of_range": "Thời điểm nằm ngoài khoảng cho phép (năm 1900 đến 9998).",
    }

    def _serialize(self, value, attr, obj, **kwargs) -> str | None:
        return None if value is None else local_isoformat(value)

    def _deserialize(self, value, attr, data, **kwargs) -> datetime:
        aware = super()._deserialize(value, attr, data, **kwargs)
        try:
            in_utc = aware.astimezone(UTC)
        except OverflowError as exc:
            raise self.make_error("out_of_range") from exc
        if not MIN_TIME <= in_utc <= MAX_TIME:
            raise self.make_error("out_of_range")
        return in_utc


# The days a query may name: wide enough for any real question, narrow enough that adding or
# subtracting a year of days never overflows Python's dates (a 500).
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)


class Day(fields.Date):
    """A calendar day "YYYY-MM-DD" (local, Asia/Ho_Chi_Minh), from 2000 to 2100."""

    default_error_messages = {
        "invalid": "Ngày không hợp lệ; dùng dạng YYYY-MM-DD, ví dụ 2026-12-07."
    }

    def __init__(self, **kwargs) -> None:
        validators = [
            validate.Range(
                min=FIRST_DAY,
                max=LAST_DAY,
                error="Ngày phải trong khoảng 2000-01-01 đến 2100-12-31.",
            )
        ]
        super().__init__(validate=validators, **kwargs)
