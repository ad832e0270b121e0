"""Marshmallow's and webargs' validation errors, told in Vietnamese and by field label.

One translator for every schema of the API, the modules' included: it walks the error messages
beside the schema that produced them, so that each message is matched to the rule that made it
(a field's `error_messages` key, or one of its validators) and said again in Vietnamese with the
rule's own bounds and choices. A message that a schema author wrote in Vietnamese is kept as it
is; an English one that no rule explains becomes "Giá trị không hợp lệ.".

Labels: every input field carries `metadata={"label": "<Vietnamese label>"}`. A list field's
label is counted in its items from 1: `questions.0.options.1` is "Câu hỏi 1 – Lựa chọn 2".

The error handler of app/errors.py calls `translate_errors` with the schema webargs hands to
`abort` (`exc.data["schema"]`); services that load a schema themselves call it too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from marshmallow import Schema, fields, validate

from app.errors import FieldError

LABEL = "label"
LABEL_SEPARATOR = " – "

MSG_INVALID = "Giá trị không hợp lệ."
MSG_UNKNOWN = "Trường này không được hỗ trợ."
MSG_OBJECT = "Phải là một đối tượng JSON."

# Field-level messages, by key of marshmallow's `error_messages`; the first class of a field's
# MRO found here wins, and `None` stands for every class.
_FIELD_MESSAGES: dict[type | None, dict[str, str]] = {
    None: {
        "required": "Bắt buộc phải nhập.",
        "null": "Không được để trống.",
        "validator_failed": MSG_INVALID,
        "blank": "Không được để trống hoặc chỉ gồm khoảng trắng.",
    },
    fields.Email: {"invalid": "Địa chỉ email không hợp lệ."},
    fields.Url: {"invalid": "Địa chỉ web không hợp lệ."},
    fields.String: {"invalid": "Phải là chuỗi ký tự.", "invalid_utf8": "Phải là chuỗi ký tự."},
    fields.Integer: {"invalid": "Phải là số nguyên.", "too_large": "Số quá lớn."},
    fields.Float: {"special": "Phải là một số hữu hạn."},
    fields.Number: {"invalid": "Phải là một số.", "too_large": "Số quá lớn."},
    fields.Boolean: {"invalid": "Phải là true hoặc false."},
    fields.Date: {
        "invalid": "Ngày không hợp lệ; dùng dạng YYYY-MM-DD, ví dụ 2025-07-01.",
        "format": "Ngày không hợp lệ; dùng dạng YYYY-MM-DD, ví dụ 2025-07-01.",
    },
    fields.Time: {"invalid": "Giờ không hợp lệ; dùng dạng HH:MM, ví dụ 08:30."},
    fields.DateTime: {
        "invalid": "Thời điểm không hợp lệ; dùng ISO 8601, ví dụ 2025-07-01T08:00:00+07:00.",
        "invalid_awareness": "Thời điểm phải có múi giờ, ví dụ 2025-07-01T08:00:00+07:00.",
        "format": "Thời điểm không hợp lệ.",
    },
    fields.UUID: {"invalid_uuid": "Mã UUID không hợp lệ."},
    fields.List: {"invalid": "Phải là một danh sách."},
    fields.Tuple: {"invalid": "Phải là một danh sách.", "length": "Số phần tử không đúng."},
    fields.Mapping: {"invalid": MSG_OBJECT},
    fields.Nested: {"type": MSG_OBJECT},
    fields.Enum: {"unknown": "Giá trị không nằm trong danh sách cho phép."},
}
_SCHEMA_MESSAGES = {"type": MSG_OBJECT, "unknown": MSG_UNKNOWN}


def label_of(field: fields.Field, name: str) -> str:
    """Return the field's label for people, or the quoted name when it has none."""
    return field.metadata.get(LABEL) or f"«{name}»"


def choice_of(labels: Mapping[Any, str]) -> validate.OneOf:
    """Return a choice validator of the codes of `labels`, refusing with their Vietnamese names."""
    return validate.OneOf(list(labels), labels=list(labels.values()))


# --- message matching --------------------------------------------------------------------


@lru_cache(maxsize=1024)
def _template_pattern(template: str) -> re.Pattern[str]:
    """Return a pattern matching `template` once str.format has filled its placeholders."""
    parts = re.split(r"\{[^{}]*\}", template)
    return re.compile(".*".join(re.escape(p) for p in parts), re.DOTALL)


def _matches(template: Any, message: str) -> bool:
    return isinstance(template, str) and bool(_template_pattern(template).fullmatch(message))


def _vietnamese(text: str) -> bool:
    """Tell whether a message was written for people here (our messages all carry diacritics)."""
    return not text.isascii()


def _field_key_message(field: fields.Field, key: str) -> str:
    for cls in type(field).__mro__:
        if cls in _FIELD_MESSAGES and key in _FIELD_MESSAGES[cls]:
            return _FIELD_MESSAGES[cls][key]
    return _FIELD_MESSAGES[None].get(key, MSG_INVALID)


def _is_collection(field: fields.Field) -> bool:
    return isinstance(field, fields.List | fields.Tuple | fields.Mapping) or (
        isinstance(field, fields.Nested) and bool(field.many)
    )


def _length_message(v: validate.Length, field: fields.Field) -> str:
    unit = "mục" if _is_collection(field) else "ký tự"
    if v.equal is not None:
        return f"Phải có đúng {v.equal} {unit}."
    if v.min is not None and v.max is not None:
        if unit == "mục":
            return f"Phải có từ {v.min} đến {v.max} mục."
        return f"Độ dài phải từ {v.min} đến {v.max} ký tự."
    if v.min is not None:
        return f"Phải có ít nhất {v.min} {unit}."
    return f"Tối đa {v.max} {unit}."


def _range_message(v: validate.Range) -> str:
    low = "lớn hơn hoặc bằng" if v.min_inclusive else "lớn hơn"
    high = "nhỏ hơn hoặc bằng" if v.max_inclusive else "nhỏ hơn"
    if v.min is not None and v.max is not None:
        if v.min_inclusive and v.max_inclusive:
            return f"Phải từ {v.min} đến {v.max}."
        return f"Phải {low} {v.min} và {high} {v.max}."
    if v.min is not None:
        return f"Phải {low} {v.min}."
    return f"Phải {high} {v.max}."


def _choices_text(v: validate.OneOf) -> str:
    labels = [str(label) for label in v.labels if label]
    if labels and len(labels) == len(list(v.choices)):
        return ", ".join(labels)
    return v.choices_text


def _validator_templates(v: Any) -> list[str]:
    """Return the English templates a validator may have raised (none when it has its own)."""
    error = getattr(v, "error", None)
    if isinstance(v, validate.Length | validate.Range):
        if error:
            return [error]
        return [v.message_min, v.message_max, v.message_all] + (
            [v.message_equal] if isinstance(v, validate.Length) else []
        )
    return [error] if isinstance(error, str) else []


def _validator_message(v: Any, field: fields.Field) -> str:
    if isinstance(v, validate.Length):
        return _length_message(v, field)
    if isinstance(v, validate.Range):
        return _range_message(v)
    if isinstance(v, validate.ContainsOnly):
        return f"Chỉ được chọn trong: {_choices_text(v)}."
    if isinstance(v, validate.OneOf):
        return f"Phải là một trong: {_choices_text(v)}."
    if isinstance(v, validate.Email):
        return _FIELD_MESSAGES[fields.Email]["invalid"]
    if isinstance(v, validate.URL):
        return _FIELD_MESSAGES[fields.Url]["invalid"]
    if isinstance(v, validate.Equal):
        return f"Phải bằng {v.comparable}."
    if isinstance(v, validate.Regexp):
        return "Không đúng định dạng."
    return MSG_INVALID


def _validators(field: fields.Field) -> Iterable[Any]:
    for v in field.validators:
        if isinstance(v, validate.And):
            yield from v.validators
        else:
            yield v


def translate_field_message(message: str, field: fields.Field | None) -> str:
    """Return one message about one field in Vietnamese, with the bounds of its rule."""
    if field is None:
        return message if _vietnamese(message) else MSG_INVALID
    for key, template in field.error_messages.items():
        if _matches(template, message):
            return message if _vietnamese(template) else _field_key_message(field, key)
    for v in _validators(field):
        for template in _validator_templates(v):
            if _matches(template, message):
                return message if _vietnamese(template) else _validator_message(v, field)
    return message if _vietnamese(message) else MSG_INVALID


def translate_schema_message(message: str, schema: Schema | None) -> str:
    """Return a message about a whole object (or an unknown field) in Vietnamese."""
    if schema is not None:
        for key, template in schema.error_messages.items():
            if _matches(template, message):
                return message if _vietnamese(template) else _SCHEMA_MESSAGES.get(key, MSG_INVALID)
    return message if _vietnamese(message) else MSG_INVALID


# --- walking the messages beside the schema ---------------------------------------------


class _Walk:
    """Translate nested messages and collect one FieldError per message."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def _add(self, path: list[str], labels: list[str], message: str) -> str:
        self.errors.append(
            FieldError(".".join(path) or "_schema", LABEL_SEPARATOR.join(labels), message)
        )
        return message

    def schema(self, messages: Any, schema: Schema | None, path: list[str], labels: list[str]):
        if not isinstance(messages, Mapping):
            return [
                self._add(path, labels, translate_schema_message(str(m), schema))
                for m in _as_list(messages)
            ]
        by_key = _load_fields(schema)
        out: dict[Any, Any] = {}
        for key, value in messages.items():
            name = str(key)
            if name == "_schema":
                out[key] = self.schema(_as_list(value), schema, path, labels)
            elif name in by_key:
                field = by_key[name]
                out[key] = self.field(value, field, [*path, name], [*labels, label_of(field, name)])
            else:  # not a field of the schema: unknown, or a key a validator chose
                item_path, item_labels = [*path, name], [*labels, f"«{name}»"]
                if isinstance(value, Mapping):
                    out[key] = self.schema(value, None, item_path, item_labels)
                else:
                    out[key] = [
                        self._add(item_path, item_labels, translate_schema_message(str(m), schema))
                        for m in _as_list(value)
                    ]
        return out

    def field(self, messages: Any, field: fields.Field, path: list[str], labels: list[str]):
        if not isinstance(messages, Mapping):
            return [
                self._add(path, labels, translate_field_message(str(m), field))
                for m in _as_list(messages)
            ]
        if isinstance(field, fields.Nested) and not field.many:
            return self.schema(messages, field.schema, path, labels)
        out: dict[Any, Any] = {}
        for key, value in messages.items():
            name = str(key)
            item_path = [*path, name]
            if name.lstrip("-").isdigit():  # a position in a list
                item_labels = [*labels[:-1], f"{labels[-1]} {int(name) + 1}"] if labels else []
                if isinstance(field, fields.Nested):
                    out[key] = self.schema(value, field.schema, item_path, item_labels)
                elif isinstance(field, fields.List):
                    out[key] = self.field(value, field.inner, item_path, item_labels)
                elif isinstance(field, fields.Tuple) and int(name) < len(field.tuple_fields):
                    out[key] = self.field(
                        value, field.tuple_fields[int(name)], item_path, item_labels
                    )
                else:
                    out[key] = self.schema(value, None, item_path, item_labels)
            elif isinstance(field, fields.Mapping) and isinstance(value, Mapping):
                entry_labels = [*labels, f"«{name}»"]
                out[key] = {
                    part: self.field(
                        sub,
                        (field.key_field if part == "key" else field.value_field) or fields.Raw(),
                        item_path,
                        entry_labels,
                    )
                    for part, sub in value.items()
                }
            else:
                out[key] = self.schema(value, None, item_path, [*labels, f"«{name}»"])
        return out


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _load_fields(schema: Schema | None) -> dict[str, fields.Field]:
    if schema is None:
        return {}
    return {(f.data_key or name): f for name, f in schema.load_fields.items()}


def translate_errors(messages: Any, schema: Schema | None) -> tuple[Any, list[FieldError]]:
    """Return marshmallow's nested messages in Vietnamese (keys unchanged) and a FieldError each."""
    walk = _Walk()
    translated = walk.schema(messages, schema, [], [])
    return translated, walk.errors


def input_fields(schema: Schema) -> Iterable[tuple[str, fields.Field]]:
    """Yield (dotted path, field) of every field a schema loads, nested ones included."""
    seen: set[int] = set()

    def walk(schema: Schema, prefix: str) -> Iterable[tuple[str, fields.Field]]:
        if id(type(schema)) in seen:  # a schema nested in itself
            return
        seen.add(id(type(schema)))
        for name, field in _load_fields(schema).items():
            path = f"{prefix}{name}"
            yield path, field
            yield from inner(field, path)

    def inner(field: fields.Field, path: str) -> Iterable[tuple[str, fields.Field]]:
        if isinstance(field, fields.Nested) and isinstance(field.schema, Schema):
            yield from walk(field.schema, f"{path}.")
        elif isinstance(field, fields.List):
            yield from inner(field.inner, f"{path}.*")

    yield from walk(schema, "")
