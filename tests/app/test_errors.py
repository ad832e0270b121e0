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
