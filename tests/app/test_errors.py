"""Every failure answers with the contract's JSON error body, never HTML."""

import pytest
from flask_smorest import Blueprint

from app import create_app


def assert_error(response, status, code=None):
    """Check status, JSON content type and the error envelope."""
    assert response.status_code == status
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert set(error) == {"code", "message", "details"}
    assert error["message"]
    if code:
        assert error["code"] == code
    return error


def test_unknown_path_is_json_404(client):
    """An unknown path gets a JSON 404."""
    assert_error(client.get("/api/v1/nothing-here"), 404, "not_found")
    assert_error(client.get("/no/such/page"), 404, "not_found")


def test_wrong_method_is_json_405(client):
    """A wrong method gets a JSON 405 with Allow."""
    response = client.delete("/api/v1/wards")
    assert_error(response, 405, "method_not_allowed")
    assert "GET" in response.headers["Allow"]


def test_malformed_json_is_400(client):
    """A body that is not JSON gets 400 malformed_json."""
    response = client.post("/api/v1/auth/tokens", data="{not json", content_type="application/json")
    assert_error(response, 400, "malformed_json")


def test_wrong_content_type_is_415(client):
    """A form-encoded body to a JSON API gets 415."""
    response = client.post("/api/v1/auth/tokens", data="a=b", content_type="text/plain")
    assert_error(response, 415, "unsupported_media_type")


def test_body_over_limit_is_413(client):
    """A JSON body over the limit gets 413."""
    big = '{"x": "' + "a" * (300 * 1024) + '"}'
    response = client.post("/api/v1/auth/tokens", data=big, content_type="application/json")
    assert_error(response, 413, "payload_too_large")


@pytest.fixture
def crashing_app(database_url):
    """An app with a route that raises an unexpected exception."""
    import os

    app = create_app(
        {
            "TESTING": False,
            "SECRET_KEY": "k" * 40,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "INSTANCE_PATH": os.environ["PXS_TEST_INSTANCE"],
        }
    )
    blp = Blueprint("crash", __name__)

    @blp.get("/api/v1/crash")
    def crash():
        raise RuntimeError("secret internals: /etc/passwd")

    app.register_blueprint(blp)
    return app


def test_unhandled_exception_is_500_without_trace(crashing_app):
    """An unexpected exception gives a JSON 500 that leaks nothing."""
    response = crashing_app.test_client().get("/api/v1/crash")
    error = assert_error(response, 500, "internal_error")
    assert "secret internals" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
    assert error["details"] == {}


# --- validation errors in Vietnamese, by label -------------------------------------------------

WARD = "00592"  # Từ Liêm

# marshmallow's and webargs' English: none of it may reach a person.
ENGLISH = (
    "Missing data",
    "may not be null",
    "Not a valid",
    "Unknown field",
    "Length must",
    "Shorter than",
    "Longer than",
    "Must be",
    "Invalid",
    "required field",
)


@pytest.fixture
def ward_admin(app, client, sign_in):
    """The client signed in as a ward admin of Từ Liêm; returns its CSRF header."""
    from app.identity.demo import citizens_of
    from tests.conftest import csrf_headers, grant

    sub = citizens_of(WARD)[0].sub
    sign_in(sub)
    grant(app, sub, "ward_admin", ward=WARD)
    return csrf_headers(client)


def assert_vietnamese_422(response):
    """A 422 whose every message is Vietnamese and whose top message names no raw path."""
    error = assert_error(response, 422, "validation_error")
    details = error["details"]
    assert details["errors"], details
    texts = [error["message"]] + [e["message"] for e in details["errors"]]
    texts += _leaves(details["fields"])
    for text in texts:
        assert not text.isascii(), text
        for english in ENGLISH:
            assert english not in text, text
    for entry in details["errors"]:
        assert set(entry) == {"field", "label", "message"}
        assert entry["label"] and "." not in entry["label"], entry
        assert entry["field"] not in error["message"] or "." not in entry["field"]
        assert f"{entry['label']}: " in error["message"]
    return error


def _leaves(node) -> list[str]:
    if isinstance(node, dict):
        return [leaf for value in node.values() for leaf in _leaves(value)]
    return [str(m) for m in node]


MALFORMED = {
    "notice": (
        "/api/v1/notices",
        {"title": "", "body": None, "ward": 5, "category": "x", "pinned": "yes", "extra": 1},
    ),
    "poll": (
        "/api/v1/polls",
        {
            "title": "ab",
            "kind": "referendum",
            "ward": WARD,
            "questions": [{"text": "", "options": ["", 3]}, {"text": "x" * 501}],
            "quorum_percent": 101,
            "closes_at": "tomorrow",
        },
    ),
    "community": (f"/api/v1/wards/{WARD}/communities", {"name": "x", "kind": "club"}),
    "zone": (f"/api/v1/wards/{WARD}/market-zones", {"kind": "mall", "colour": "red"}),
}


@pytest.mark.parametrize("what", sorted(MALFORMED))
def test_malformed_bodies_get_vietnamese_messages_by_label(client, ward_admin, what):
    """Every create endpoint answers a malformed body in Vietnamese, naming fields by label."""
    url, body = MALFORMED[what]
    assert_vietnamese_422(client.post(url, json=body, headers=ward_admin))


def test_config_draft_errors_are_vietnamese_by_label(client, ward_admin):
    """An invalid miniapp config draft names its fields by label, in Vietnamese."""
    document = client.get(f"/api/v1/wards/{WARD}/miniapp").get_json()
    document["app"]["title"] = "   "
    document["modules"][0]["enabled"] = "yes"
    document["surprise"] = 1
    response = client.put(f"/api/v1/wards/{WARD}/miniapp/draft", json=document, headers=ward_admin)
    error = assert_vietnamese_422(response)
    labels = {e["field"]: e["label"] for e in error["details"]["errors"]}
    assert labels["app.title"] == "Ứng dụng – Tên miniapp"
    assert labels["modules.0.enabled"] == "Module 1 – Bật"


def test_nested_poll_question_errors_carry_ordinal_labels(client, ward_admin):
    """questions.1.text is "Câu hỏi 2 – Nội dung" for people, the dotted path for programs."""
    body = {
        "title": "Chọn ngày họp tổ",
        "kind": "survey",
        "ward": WARD,
        "questions": [
            {"text": "Ngày nào?", "options": ["Thứ bảy", "Chủ nhật"]},
            {"text": "   ", "options": ["Sáng", "   "]},
        ],
    }
    response = client.post("/api/v1/polls", json=body, headers=ward_admin)
    error = assert_vietnamese_422(response)
    by_field = {e["field"]: e for e in error["details"]["errors"]}
    assert by_field["questions.1.text"]["label"] == "Câu hỏi 2 – Nội dung"
    assert by_field["questions.1.text"]["message"] == (
        "Không được để trống hoặc chỉ gồm khoảng trắng."
    )
    assert by_field["questions.1.options.1"]["label"] == "Câu hỏi 2 – Lựa chọn 2"
    assert error["details"]["fields"]["questions"]["1"]["text"] == [
        "Không được để trống hoặc chỉ gồm khoảng trắng."
    ]
    assert "questions" not in error["message"]


def test_several_fields_are_joined_in_one_message(client, ward_admin):
    """The top message lists each field by label: "Tiêu đề: …; Nội dung: …."."""
    body = {"title": "x", "body": "   ", "ward": WARD, "category": "y_te"}
    error = assert_vietnamese_422(client.post("/api/v1/notices", json=body, headers=ward_admin))
    assert error["message"] == (
        "Tiêu đề: Độ dài phải từ 3 đến 200 ký tự; "
        "Nội dung: Không được để trống hoặc chỉ gồm khoảng trắng."
    )


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        (f"/api/v1/wards/{WARD}/communities", {"name": "   ", "kind": "thon"}, "name"),
        (
            "/api/v1/notices",
            {"title": "Lịch cắt điện", "body": " \n\t ", "ward": WARD, "category": "khac"},
            "body",
        ),
        (
            "/api/v1/notices",
            {"title": "\u3000 \u00a0", "body": "Nội dung", "ward": WARD, "category": "khac"},
            "title",
        ),
    ],
)
def test_whitespace_only_text_is_refused(client, ward_admin, url, body, field):
    """Text of spaces is no text: refused by label, and nothing is created."""
    error = assert_vietnamese_422(client.post(url, json=body, headers=ward_admin))
    assert [e["field"] for e in error["details"]["errors"]] == [field]
    assert error["details"]["errors"][0]["message"] == (
        "Không được để trống hoặc chỉ gồm khoảng trắng."
    )


def test_service_field_errors_have_the_schema_shape(client, ward_admin):
    """A rule checked by a service about one field answers like a schema: label and path."""
    body = {
        "title": "Lịch cắt điện",
        "body": "Thứ bảy",
        "ward": WARD,
        "category": "khac",
        "publish_at": "2030-01-02T08:00:00+07:00",
        "expires_at": "2030-01-01T08:00:00+07:00",
    }
    error = assert_vietnamese_422(client.post("/api/v1/notices", json=body, headers=ward_admin))
    assert error["details"]["location"] == "json"
    assert error["details"]["errors"] == [
        {
            "field": "expires_at",
            "label": "Thời điểm hết hạn",
            "message": "Phải sau thời điểm đăng (và ở tương lai).",
        }
    ]
    assert error["details"]["fields"] == {
        "expires_at": ["Phải sau thời điểm đăng (và ở tương lai)."]
    }


def test_a_field_with_errors_of_its_own_and_of_its_parts_keeps_both():
    """ "hours" and "hours.0.end" at once: both kept, as marshmallow merges them (not a 500)."""
    from app.errors import FieldError, field_error_details

    details = field_error_details(
        [
            FieldError("hours.0.end", "Giờ 1 – Kết thúc", "Phải sau giờ bắt đầu."),
            FieldError("hours", "Giờ làm việc", "Các khoảng giờ chồng lên nhau."),
            FieldError("hours.1.start", "Giờ 2 – Bắt đầu", "Không hợp lệ."),
        ]
    )
    assert details["fields"] == {
        "hours": {
            "0": {"end": ["Phải sau giờ bắt đầu."]},
            "_schema": ["Các khoảng giờ chồng lên nhau."],
            "1": {"start": ["Không hợp lệ."]},
        }
    }
    assert [e["field"] for e in details["errors"]] == ["hours.0.end", "hours", "hours.1.start"]
