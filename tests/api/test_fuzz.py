"""Fuzzing from the OpenAPI document (schemathesis): no 5xx, and every answer is as declared.

Each operation of /api/openapi.json gets a bounded number of generated requests (valid and
invalid ones), derandomized so that a run in CI repeats, against the app in process (WSGI) on
the demo data: anonymous, as a ward admin and as a resident (bearer tokens). Path parameters
name real objects of the demo data most of the time, so that requests get past the 404.

A failure names the operation and prints the request (as curl) that failed: a server error is
a bug of a view or service, a non-conforming answer a gap in the schema (app/fields.py,
app/apidoc.py, the modules' schemas).
"""

import os
import re
import tempfile
import zlib

import pytest
import schemathesis
import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, settings
from marshmallow import ValidationError
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.demo import load_command
from app.extensions import db
from app.fields import MSG_BLANK
from app.identity import service as identity
from app.identity.demo import DEMO_DEPARTMENT, citizens_of, demo_user, staff_sub
from app.strict import MSG_PHONE, vietnamese_phone
from miniapps.market.schemas import MerchantCreateSchema
from miniapps.market.validation import InvalidValue, normalise_account_number
from tests.conftest import _empty_tables, grant, make_app

WARD = "00070"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def fuzz_settings(examples: int) -> settings:
    """Hypothesis settings of a fuzz test: `examples` requests per operation, repeatable.

    Only the generate phase: schemathesis's coverage phase (in hypothesis's explicit phase)
    sends hundreds of boundary cases per operation and would take the run past its budget
    of three minutes; no shrinking (it could take minutes on a failure, and the failing
    request is printed as it is); no example database (CI has none to share).
    """
    return settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


# Operations that end the signed-in caller's own credentials (erasure, sign-out everywhere,
# revoking the token in use): fuzzed anonymously only, or every later request of the run
# would be anonymous too. Their own tests cover them signed in.
ENDS_THE_CALLER = [
    ("DELETE", "/api/v1/me"),
    ("DELETE", "/api/v1/auth/tokens/current"),
    ("DELETE", "/api/v1/me/sessions"),
]

# Path parameter -> (table, column) of a real object in the demo data.
_OBJECTS = {
    "community_id": ("community", "id"),
    "group_id": ("residential_group", "id"),
    "broadcast_id": ("notice_broadcast", "id"),
    "notice_id": ("notice", "id"),
    "image_id": ("notice_image", "id"),
    "poll_id": ("poll", "id"),
    "zone_id": ("market_zone", "id"),
    "merchant_id": ("merchant", "id"),
    "product_id": ("product", "id"),
    "report_id": ("report", "id"),
    "photo_id": ("report_photo", "id"),
    "service_id": ("booking_service", "id"),
    "appointment_id": ("appointment", "id"),
    "ticket_id": ("queue_ticket", "id"),
    "webhook_id": ("webhook_endpoint", "id"),
    "delivery_id": ("webhook_delivery", "id"),
    "client_id": ("api_client", "client_id"),
    "code": ("report_category", "code"),
}


def _first(table: str, column: str):
    """Return a value of `column` from the first row of `table` in ward WARD if it has one."""
    meta = db.metadata.tables[table]
    query = sa.select(meta.c[column]).order_by(meta.c[column]).limit(1)
    if "ward_code" in meta.c:
        query = query.where(meta.c.ward_code == WARD)
    return db.session.execute(query).scalar()


def _document() -> schemathesis.schemas.BaseSchema:
    """Load the OpenAPI document of an app made for it alone (the document needs no database).

    Loaded when the module is collected, so that each operation is a test of its own.
    """
    with tempfile.TemporaryDirectory() as tmp:
        return schemathesis.openapi.from_wsgi(
            "/api/openapi.json", make_app(f"sqlite:///{tmp}/document.sqlite3", tmp)
        )


schema = _document()


@pytest.fixture(scope="module")
def demo_world(database_url):
    """An app on the demo data for the whole module; the real path values; callers' tokens.

    One app for every generated request (loading the demo data per operation would take
    minutes); the rows are removed at the end, as the `app` fixture does.
    """
    app = make_app(database_url, os.environ["PXS_TEST_INSTANCE"])
    result = app.test_cli_runner().invoke(load_command)
    assert result.exit_code == 0, result.output
    with app.app_context():
        values = {name: _first(*where) for name, where in _OBJECTS.items()}
        admin = demo_user(staff_sub(WARD))
        editor = demo_user(staff_sub(WARD, "ward_editor"))
        resident = demo_user(citizens_of(WARD)[3].sub)
        # A grant that is not the fuzzing admin's own: revoking it leaves the caller as it was.
        grant = db.session.execute(
            sa.text("SELECT id FROM role_grant WHERE user_id = :user ORDER BY id LIMIT 1"),
            {"user": editor.id},
        ).scalar()
        values.update(
            ward=WARD,
            dept=DEMO_DEPARTMENT,
            ward_type="phuong",
            number=1,  # every unit's config has a version 1 (departments sync, demo load)
            user_id=resident.id,
            grant_id=grant,
        )
        headers = {
            "anonymous": {},
            "ward_admin": {"Authorization": f"Bearer {identity.issue_token(admin)[0]}"},
            "resident": {"Authorization": f"Bearer {identity.issue_token(resident)[0]}"},
        }
        for sent in headers.values():
            # The WSGI client does not decompress: ask for the bodies as they are.
            sent["Accept-Encoding"] = "identity"
        db.session.commit()
    yield app, values, headers
    _empty_tables(app)


def _real(name: str, value, world: dict):
    """Return the demo object's value for three requests in four, the generated one otherwise.

    The choice follows the generated value (crc32), so a derandomized run repeats it.
    """
    real = world.get(name)
    if real is None or zlib.crc32(repr(value).encode()) % 4 == 0:
        return value
    return real


def _send(case, demo_world, caller: str) -> None:
    """Send the case as `caller` with path parameters made real; check the answer."""
    app, values, headers = demo_world
    if case.path_parameters:
        case.path_parameters = {
            name: _real(name, value, values) for name, value in case.path_parameters.items()
        }
    case.call_and_validate(app=app, headers=headers[caller], checks=CHECKS)


@schema.parametrize()
@fuzz_settings(examples=5)  # most answers are 401 or 404: fewer requests find as much
def test_fuzz_anonymous(case, demo_world):
    """Anonymous requests: no 5xx; status, content type and body as the document declares."""
    _send(case, demo_world, "anonymous")


_signed_in = schema.exclude(
    lambda ctx: (ctx.operation.method.upper(), ctx.operation.path) in ENDS_THE_CALLER
)


@_signed_in.parametrize()
@fuzz_settings(examples=15)
def test_fuzz_ward_admin(case, demo_world):
    """A ward admin's requests (bearer token): no 5xx, answers as declared."""
    _send(case, demo_world, "ward_admin")


@_signed_in.parametrize()
@fuzz_settings(examples=8)
def test_fuzz_resident(case, demo_world):
    """A resident's requests (bearer token): no 5xx, answers as declared."""
    _send(case, demo_world, "resident")


# --- what the document states -----------------------------------------------------------


def _create_community(client, headers: dict, name: str):
    return client.post(
        f"/api/v1/wards/{WARD}/communities",
        json={"name": name, "kind": "to_dan_pho"},
        headers=headers,
    )


@pytest.mark.parametrize("name", ["  ", "\u3000\u00a0", "\u200b\u200b", " \u2060\ufeff "])
def test_a_community_named_blank_is_refused(app, client, name):
    """A name of spaces or invisible characters only is refused, in Vietnamese, by field."""
    with app.app_context():
        token = identity.issue_token(demo_user(staff_sub(WARD)))[0]
        db.session.commit()
    grant(app, staff_sub(WARD), "ward_admin", ward=WARD)
    headers = {"Authorization": f"Bearer {token}"}
    response = _create_community(client, headers, name)
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["details"]["fields"] == {"name": [MSG_BLANK]}
    assert _create_community(client, headers, "Tổ dân phố số 5").status_code == 201


def _document_property(schema_name: str, field: str) -> dict:
    return schema.raw_schema["components"]["schemas"][schema_name]["properties"][field]


def test_the_document_states_that_names_are_not_blank_and_have_no_control_characters():
    """CommunityCreate.name: its pattern refuses what the API refuses, accepts what it takes."""
    name = _document_property("CommunityCreate", "name")
    assert name["minLength"] == 2
    pattern = re.compile(name["pattern"])
    for refused in ["  ", "\u200b\u200b", "Tổ\x01 5", "Tổ\x00", "Tổ\x7f"]:
        assert not pattern.search(refused), refused
    for accepted in ["Tổ dân phố số 5", " Thôn Đông ", "Tổ\t5\n"]:
        assert pattern.search(accepted), accepted


def test_every_text_pattern_of_the_document_refuses_nul():
    """The request guard refuses NUL in every string: each text input's pattern says so."""
    patterns = [
        prop["pattern"]
        for component in schema.raw_schema["components"]["schemas"].values()
        for prop in component.get("properties", {}).values()
        if "pattern" in prop
    ]
    assert len(patterns) > 50
    for pattern in patterns:
        assert not re.search(pattern, "a\x00b"), pattern


@pytest.mark.parametrize(
    ("value", "taken"),
    [
        ("0912 345 678", True),
        ("+84 912 345 678", True),
        ("(024) 3825 3536", True),
        ("1022", True),
        ("1900 1234", True),
        ("12", False),
        ("0012345678", False),
        ("+85 912 345 678", False),
        ("0912 345 678 901", False),
    ],
)
def test_the_document_states_which_phone_numbers_a_merchant_may_give(value, taken):
    """MerchantCreate.phone's pattern takes the numbers the rule takes, and only those."""
    pattern = _document_property("MerchantCreate", "phone")["pattern"]
    assert bool(re.search(pattern, value)) is taken
    assert _takes(vietnamese_phone, value) is taken


@pytest.mark.parametrize(
    ("value", "taken"),
    [("0011001234567", True), ("001-100-123.456", True), ("12345", False), ("1" * 20, False)],
)
def test_the_document_states_which_account_numbers_a_merchant_may_give(value, taken):
    """MerchantCreate.account_number's pattern: 6 to 19 digits, spaces, dots and dashes."""
    pattern = _document_property("MerchantCreate", "account_number")["pattern"]
    assert bool(re.search(pattern, value)) is taken
    assert _takes(normalise_account_number, value) is taken


def _takes(rule, value: str) -> bool:
    try:
        rule(value)
    except (ValidationError, InvalidValue):
        return False
    return True


@pytest.mark.parametrize("phone", ["0912３４５678", "09١٢٣٤٥٦٧٨"])
def test_a_phone_number_in_other_digits_is_refused_not_cut_short(phone):
    """Full-width or Arabic-Indic digits are refused: the stored number kept only the ASCII ones."""
    merchant = {
        "name": "Cô Lan",
        "stall": "Ki-ốt A12",
        "phone": phone,
        "bank_bin": "970436",
        "account_number": "0011001234567",
        "account_name": "nguyen thi lan",
    }
    with pytest.raises(ValidationError) as refused:
        MerchantCreateSchema().load(merchant)
    assert refused.value.messages == {"phone": [MSG_PHONE]}
    assert MerchantCreateSchema().load({**merchant, "phone": "0912 345 678"})["phone"] == (
        "0912345678"
    )


def test_opening_hours_with_errors_of_both_kinds_are_422(app, client):
    """A row that ends before it starts and two overlapping rows: 422 naming both, not 500."""
    result = app.test_cli_runner().invoke(load_command)
    assert result.exit_code == 0, result.output
    with app.app_context():
        service_id = _first("booking_service", "id")
        token = identity.issue_token(demo_user(staff_sub(WARD)))[0]
        db.session.commit()
    hours = [
        {"weekday": 1, "start": "10:00", "end": "09:00"},
        {"weekday": 1, "start": "08:00", "end": "12:00"},
        {"weekday": 1, "start": "11:00", "end": "13:00"},
    ]
    response = client.patch(
        f"/api/v1/booking-services/{service_id}",
        json={"hours": hours},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422, response.get_json()
    fields = {error["field"] for error in response.get_json()["error"]["details"]["errors"]}
    assert fields == {"hours", "hours.0.end"}
