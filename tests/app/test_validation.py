"""Validation errors speak Vietnamese, name fields by label, and blank text is refused."""

import pytest
from marshmallow import Schema, ValidationError, fields, validate

from app.errors import ValidationFailed
from app.fields import Text
from app.validation import choice_of, input_fields, translate_errors

# marshmallow's and webargs' English, none of which may reach a person.
ENGLISH = (
    "Missing data for required field",
    "Field may not be null",
    "Not a valid",
    "Unknown field",
    "Length must be",
    "Shorter than",
    "Longer than",
    "Must be",
    "Invalid",
    "must be",
)


def assert_vietnamese(text: str) -> None:
    """Fail on any of marshmallow's English defaults; Vietnamese carries diacritics."""
    for english in ENGLISH:
        assert english not in text, text
    assert not text.isascii(), text


# --- the translator on its own ---------------------------------------------------------------


class Option(Schema):
    text = Text(
        required=True, validate=validate.Length(min=1, max=300), metadata={"label": "Nội dung"}
    )


class Question(Schema):
    text = Text(
        required=True, validate=validate.Length(min=1, max=500), metadata={"label": "Nội dung"}
    )
    options = fields.List(
        fields.Nested(Option), validate=validate.Length(max=3), metadata={"label": "Lựa chọn"}
    )
    limit = fields.Integer(
        strict=True, validate=validate.Range(min=1, max=9), metadata={"label": "Giới hạn"}
    )


class Form(Schema):
    title = Text(
        required=True, validate=validate.Length(min=3, max=10), metadata={"label": "Tiêu đề"}
    )
    kind = Text(
        validate=choice_of({"to_dan_pho": "Tổ dân phố", "thon": "Thôn"}), metadata={"label": "Loại"}
    )
    code = Text(validate=validate.OneOf(["a", "b"]), metadata={"label": "Mã"})
    email = fields.Email(metadata={"label": "Thư điện tử"})
    site = fields.Url(metadata={"label": "Trang web"})
    tags = fields.List(Text(), metadata={"label": "Nhãn"})
    questions = fields.List(fields.Nested(Question), metadata={"label": "Câu hỏi"})
    flag = fields.Boolean(metadata={"label": "Cờ"})
    when = fields.AwareDateTime(allow_none=False, metadata={"label": "Thời điểm"})


def _errors(data):
    schema = Form()
    with pytest.raises(ValidationError) as caught:
        schema.load(data)
    return translate_errors(caught.value.messages, schema)


def test_every_default_message_becomes_vietnamese():
    """Required, null, types, Length, Range, OneOf, Email, URL, unknown: all in Vietnamese."""
    fields_, errors = _errors(
        {
            "title": "ab",
            "kind": "x",
            "code": "z",
            "email": "nope",
            "site": "nope",
            "tags": [1],
            "flag": "maybe",
            "when": None,
            "extra": 1,
            "questions": [{"text": "x" * 501, "limit": 0, "options": [{}, {"text": 5}]}],
        }
    )
    by_field = {e.field: e for e in errors}
    assert by_field["title"].message == "Độ dài phải từ 3 đến 10 ký tự."
    assert by_field["kind"].message == "Phải là một trong: Tổ dân phố, Thôn."
    assert by_field["code"].message == "Phải là một trong: a, b."
    assert by_field["email"].message == "Địa chỉ email không hợp lệ."
    assert by_field["site"].message == "Địa chỉ web không hợp lệ."
    assert by_field["tags.0"].message == "Phải là chuỗi ký tự."
    assert by_field["tags.0"].label == "Nhãn 1"
    assert by_field["flag"].message == "Phải là true hoặc false."
    assert by_field["when"].message == "Không được để trống."
    assert by_field["extra"].message == "Trường này không được hỗ trợ."
    assert by_field["questions.0.text"].label == "Câu hỏi 1 – Nội dung"
    assert by_field["questions.0.text"].message == "Độ dài phải từ 1 đến 500 ký tự."
    assert by_field["questions.0.limit"].message == "Phải từ 1 đến 9."
    assert by_field["questions.0.options.0.text"].label == "Câu hỏi 1 – Lựa chọn 1 – Nội dung"
    assert by_field["questions.0.options.0.text"].message == "Bắt buộc phải nhập."
    assert by_field["questions.0.options.1.text"].message == "Phải là chuỗi ký tự."
    # The nested structure keeps marshmallow's keys; only the messages change.
    assert fields_["questions"][0]["text"] == ["Độ dài phải từ 1 đến 500 ký tự."]
    for error in errors:
        assert_vietnamese(error.message)


def test_list_length_counts_items_and_types_are_named():
    """A list's Length speaks of items; a wrong type names the expected type."""
    _, errors = _errors({"title": 5, "questions": "x"})
    by_field = {e.field: e.message for e in errors}
    assert by_field == {"title": "Phải là chuỗi ký tự.", "questions": "Phải là một danh sách."}
    _, errors = _errors(
        {"title": "abcd", "questions": [{"text": "q", "options": [{"text": "o"}] * 4}]}
    )
    assert [(e.field, e.message) for e in errors] == [("questions.0.options", "Tối đa 3 mục.")]


def _english_rule(value):
    raise ValidationError("Bad value.")


def test_a_message_written_in_vietnamese_is_kept_and_stray_english_is_not_shown():
    """A rule's own Vietnamese message stays; English no rule explains becomes generic."""

    class Custom(Schema):
        a = Text(
            validate=validate.Length(max=2, error="Dài tối đa 2 ký tự."), metadata={"label": "A"}
        )
        b = Text(validate=_english_rule, metadata={"label": "B"})

    schema = Custom()
    with pytest.raises(ValidationError) as caught:
        schema.load({"a": "xyz", "b": "x"})
    _, errors = translate_errors(caught.value.messages, schema)
    assert {e.field: e.message for e in errors} == {
        "a": "Dài tối đa 2 ký tự.",
        "b": "Giá trị không hợp lệ.",
    }
    _, errors = translate_errors({"a": ["Some English."]}, schema)
    assert errors[0].message == "Giá trị không hợp lệ."


# --- whitespace-only text -----------------------------------------------------------------


@pytest.mark.parametrize("blank", ["", " ", "   ", "\t\n", "\u00a0\u3000"])
def test_blank_text_is_refused(blank):
    """Empty or whitespace-only text is refused, whatever the whitespace."""

    class One(Schema):
        name = Text(required=True, metadata={"label": "Tên"})

    with pytest.raises(ValidationError) as caught:
        One().load({"name": blank})
    _, errors = translate_errors(caught.value.messages, One())
    assert errors[0].message == "Không được để trống hoặc chỉ gồm khoảng trắng."
    assert errors[0].label == "Tên"


def test_text_is_trimmed_and_blank_answers_may_be_no_answer():
    """Text is trimmed; `allow_blank` loads an empty box as no answer."""

    class One(Schema):
        name = Text(metadata={"label": "Tên"})
        comment = Text(allow_blank=True, metadata={"label": "Góp ý"})
        raw = Text(strip=False, metadata={"label": "Thô"})

    assert One().load({"name": "  Tổ 5 ", "comment": "  ", "raw": " x "}) == {
        "name": "Tổ 5",
        "comment": "",
        "raw": " x ",
    }


# --- the field helper ---------------------------------------------------------------------


def test_field_error_helper_gives_the_schema_shape():
    """ValidationFailed.on_field: the same body as a schema error about one field."""
    error = ValidationFailed.on_field("closes_at", "Thời điểm đóng", "Phải sau thời điểm mở.")
    assert error.status == 422 and error.code == "validation_error"
    assert error.message == "Thời điểm đóng: Phải sau thời điểm mở."
    assert error.details == {
        "location": "json",
        "fields": {"closes_at": ["Phải sau thời điểm mở."]},
        "errors": [
            {"field": "closes_at", "label": "Thời điểm đóng", "message": "Phải sau thời điểm mở."}
        ],
    }
    nested = ValidationFailed.on_field("questions.1.options", "Câu hỏi 2 – Lựa chọn", "Thiếu.")
    assert nested.details["fields"] == {"questions": {1: {"options": ["Thiếu."]}}}


# --- every API schema ---------------------------------------------------------------------


def _request_schemas(app) -> list[tuple[str, Schema]]:
    """Return (endpoint, schema instance) of every argument registered with flask-smorest."""
    found = []
    for endpoint, view in app.view_functions.items():
        for parameter in getattr(view, "_apidoc", {}).get("arguments", {}).get("parameters", []):
            schema = parameter["schema"]
            found.append((endpoint, schema() if isinstance(schema, type) else schema))
    return found


def _document_schemas() -> list[tuple[str, Schema]]:
    """The miniapp config document (PUT …/draft) and every module's settings."""
    from miniapps.config.document import MiniappConfigSchema
    from miniapps.config.registry import LinkSettingsSchema, registered_modules

    schemas = [("miniapp config", MiniappConfigSchema()), ("link", LinkSettingsSchema())]
    schemas += [(m.id, m.settings_schema()) for m in registered_modules()]
    return schemas


def test_every_input_field_has_a_label(app):
    """Every field a request may carry names itself for people: metadata={"label": ...}."""
    schemas = _request_schemas(app) + _document_schemas()
    assert len(schemas) > 30
    missing = sorted(
        f"{endpoint}: {type(schema).__name__}.{path}"
        for endpoint, schema in schemas
        for path, field in input_fields(schema)
        if not field.metadata.get("label")
    )
    assert not missing, "input fields without a label:\n" + "\n".join(missing)


def test_every_text_input_refuses_blank(app):
    """Every string a request may carry is a Text: blank and whitespace-only are refused."""
    schemas = _request_schemas(app) + _document_schemas()
    plain = sorted(
        f"{endpoint}: {type(schema).__name__}.{path}"
        for endpoint, schema in schemas
        for path, field in _with_list_items(input_fields(schema))
        if isinstance(field, fields.String) and not isinstance(field, Text)
    )
    assert not plain, "text inputs that accept blank text:\n" + "\n".join(plain)


def _with_list_items(pairs):
    for path, field in pairs:
        yield path, field
        while isinstance(field, fields.List):
            field = field.inner
            path += ".*"
            yield path, field
