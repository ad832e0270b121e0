"""City-wide surveys: one poll to chosen wards or all 126, each ward's followers answer their
ward's copy, the reach per ward and in total (eligible at opening, turnout), the refusals,
and a double tap that sends once."""

import pytest
import sqlalchemy as sa

from app.departments.models import Department
from app.extensions import db
from app.identity.models import User
from app.wards.models import Ward
from community.groups.models import WardFollow
from community.polls.models import Poll, PollBroadcast
from tests.community.conftest import OTHER_WARD, WARD
from tests.community.test_broadcasts import (
    DEPARTMENTS,
    THIRD_WARD,
    follow,
    grant_department,
)
from tests.conftest import grant


@pytest.fixture
def departments(app):
    """Two departments, as the city-wide notices' tests have them."""
    with app.app_context():
        for code, (name, short, slug) in DEPARTMENTS.items():
            if db.session.get(Department, code) is None:
                db.session.add(
                    Department(code=code, name=name, short_name=short, slug=slug, search_text=slug)
                )
        db.session.commit()
    return list(DEPARTMENTS)


@pytest.fixture
def city_admin(app, citizens):
    """A city admin (a demo citizen of a third ward)."""
    sub = next(c.sub for c in citizens if c.ward_code == THIRD_WARD)
    grant(app, sub, "city_admin")
    return sub


def survey_body(**overrides) -> dict:
    """A valid city-wide survey body with overrides."""
    body = {
        "title": "Khảo sát mức độ hài lòng với dịch vụ công",
        "description": "Ý kiến của bà con giúp thành phố cải thiện dịch vụ công.",
        "kind": "survey",
        "wards": [WARD, OTHER_WARD],
        "open": True,
        "results_visibility": "after_close",
        "questions": [
            {"text": "Bà con có hài lòng không?", "options": ["Hài lòng", "Chưa hài lòng"]},
            {
                "text": "Dịch vụ nào cần cải thiện?",
                "options": ["Hộ tịch", "Đất đai", "Kinh doanh"],
                "min_choices": 1,
                "max_choices": 3,
            },
        ],
    }
    body.update(overrides)
    return body


def my_open_poll(api, sub: str, title: str) -> dict | None:
    """Return the poll of this title among the person's open polls (with its questions)."""
    api.login(sub)
    items = api.get("/api/v1/me/polls").get_json()["items"]
    return next((p for p in items if p["title"] == title), None)


def answer(api, sub: str, poll: dict, first: int = 0) -> None:
    """Answer both questions of the survey as this person."""
    api.login(sub)
    q1, q2 = poll["questions"]
    ballot = {
        "answers": [
            {"question": q1["id"], "options": [q1["options"][first]["id"]]},
            {"question": q2["id"], "options": [o["id"] for o in q2["options"][:2]]},
        ]
    }
    response = api.post(f"/api/v1/polls/{poll['id']}/ballots", json=ballot)
    assert response.status_code == 201, response.get_json()


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_city_admin_surveys_all_126_wards_and_reads_the_reach(app, api, people, others, city_admin):
    """ "all": one open poll per ward for its followers; reach per ward and in total."""
    follow(api, people[2], WARD)
    follow(api, people[3], WARD)
    follow(api, others[2], OTHER_WARD)
    with app.app_context():
        codes = list(db.session.scalars(sa.select(Ward.code).order_by(Ward.code)))
        for code in codes:  # one more follower in every ward
            person = User(issuer="test", sub=f"survey-follower-{code}", name="Người theo dõi")
            db.session.add(person)
            db.session.flush()
            db.session.add(WardFollow(user_id=person.id, ward_code=code))
        db.session.commit()
    assert len(codes) == 126

    api.login(city_admin)
    created = api.post("/api/v1/polls", json=survey_body(wards="all"))
    assert created.status_code == 201, created.get_json()
    data = created.get_json()
    assert (data["wards"], data["opened"], data["kind"]) == (126, 126, "survey")
    assert sorted(p["ward"] for p in data["polls"]) == codes
    assert data["department"] is None
    assert (data["eligible"], data["turnout"], data["share"]) == (129, 0, 0.0)

    title = survey_body()["title"]
    mine = my_open_poll(api, people[2], title)
    assert mine is not None and mine["ward"] == WARD and mine["my"]["eligible"]
    theirs = my_open_poll(api, others[2], title)
    assert theirs is not None and theirs["ward"] == OTHER_WARD
    answer(api, people[2], mine)
    answer(api, people[3], my_open_poll(api, people[3], title), first=1)
    answer(api, others[2], theirs)
    # Answered: no longer among what is waiting, but the poll says so.
    again = my_open_poll(api, people[2], title)
    assert again is None or again["my"]["voted"]

    api.login(city_admin)
    reach = api.get(f"/api/v1/poll-broadcasts/{data['id']}").get_json()
    assert (reach["wards"], reach["eligible"], reach["turnout"]) == (126, 129, 3)
    assert reach["share"] == round(3 / 129, 4)
    by_ward = {i["ward"]: i for i in reach["items"]}
    assert len(by_ward) == 126
    assert by_ward[WARD] == {
        "ward": WARD,
        "name": "Phường Hoàn Kiếm",
        "poll_id": mine["id"],
        "status": "open",
        "eligible": 3,
        "turnout": 2,
        "share": round(2 / 3, 4),
    }
    assert (by_ward[OTHER_WARD]["eligible"], by_ward[OTHER_WARD]["turnout"]) == (2, 1)
    assert by_ward[THIRD_WARD]["turnout"] == 0
    listed = api.get("/api/v1/poll-broadcasts").get_json()["items"]
    assert [(b["id"], b["wards"], b["eligible"], b["turnout"]) for b in listed] == [
        (data["id"], 126, 129, 3)
    ]
    # Each ward's copy is an ordinary ward poll, tied to the broadcast.
    with app.app_context():
        polls = db.session.scalars(sa.select(Poll).where(Poll.broadcast_id == data["id"])).all()
        assert len(polls) == 126
        assert {(p.community_id, p.status, p.kind) for p in polls} == {(None, "open", "survey")}


def test_chosen_wards_only_they_get_it_and_a_schedule_opens_later(app, api, people, others):
    """Chosen by code or slug: only those wards; with `opens_at` the polls wait for it."""
    grant(app, people[0], "city_admin")
    follow(api, people[2], WARD)
    follow(api, others[2], OTHER_WARD)
    api.login(people[0])
    created = api.post("/api/v1/polls", json=survey_body(wards=[WARD, "hoan-kiem"]))
    assert created.status_code == 201, created.get_json()
    data = created.get_json()
    assert data["wards"] == 1 and [p["ward"] for p in data["polls"]] == [WARD]
    title = survey_body()["title"]
    assert my_open_poll(api, people[2], title) is not None
    assert my_open_poll(api, others[2], title) is None
    # The ward's public poll list shows it too.
    listed = api.get(f"/api/v1/polls?ward={WARD}").get_json()["items"]
    assert [p["id"] for p in listed if p["title"] == title] == [data["polls"][0]["id"]]

    api.login(people[0])
    later = api.post(
        "/api/v1/polls",
        json=survey_body(
            title="Khảo sát hẹn giờ", open=False, opens_at="2099-01-01T08:00:00+07:00"
        ),
    )
    assert later.status_code == 201, later.get_json()
    detail = api.get(f"/api/v1/poll-broadcasts/{later.get_json()['id']}").get_json()
    assert [(i["status"], i["eligible"]) for i in detail["items"]] == [
        ("scheduled", None),
        ("scheduled", None),
    ]
    assert (detail["opened"], detail["eligible"], detail["share"]) == (0, 0, 0.0)


def test_department_staff_survey_in_their_department_name(app, api, people, departments):
    """Department staff must name their department; another department is refused; their
    colleagues see the reach, others get 404."""
    api.login(people[4])
    grant_department(app, people[4], "department_editor", "SKHCN")
    api.login(people[4])
    missing = api.post("/api/v1/polls", json=survey_body())
    assert missing.status_code == 422
    assert "department" in missing.get_json()["error"]["details"]["fields"]
    other = api.post("/api/v1/polls", json=survey_body(department="SCT"))
    assert other.status_code == 403
    created = api.post("/api/v1/polls", json=survey_body(department="SKHCN"))
    assert created.status_code == 201, created.get_json()
    sent = created.get_json()
    assert sent["department"]["name"] == "Sở Khoa học và Công nghệ"

    api.login(people[5])
    grant_department(app, people[5], "department_admin", "SKHCN")
    api.login(people[5])
    assert [b["id"] for b in api.get("/api/v1/poll-broadcasts").get_json()["items"]] == [sent["id"]]
    assert api.get(f"/api/v1/poll-broadcasts/{sent['id']}").status_code == 200
    api.login(people[6])
    assert api.get("/api/v1/poll-broadcasts").get_json()["items"] == []
    assert api.get(f"/api/v1/poll-broadcasts/{sent['id']}").status_code == 404


def test_refusals(app, api, people, staff, departments):
    """Residents, ward staff beyond their ward, unknown wards, ward and wards, no draft."""
    api.login(people[3])
    assert api.post("/api/v1/polls", json=survey_body()).status_code == 403
    api.login(staff)  # staff of WARD only
    refused = api.post("/api/v1/polls", json=survey_body())
    assert refused.status_code == 403
    assert "Giảng Võ" in refused.get_json()["error"]["message"]
    named = api.post("/api/v1/polls", json=survey_body(department="SKHCN"))
    assert named.status_code == 403
    unknown = api.post("/api/v1/polls", json=survey_body(wards=[WARD, "99999", "khong-co"]))
    assert unknown.status_code == 422
    assert "99999, khong-co" in unknown.get_json()["error"]["message"]
    for bad in (
        survey_body(ward=WARD),
        survey_body(community_id=1),
        survey_body(open=False),  # would be a draft in every ward
        survey_body(wards=None, ward=WARD, department="SKHCN"),
        survey_body(wards=None, ward=WARD, open=True),
        survey_body(wards=[]),
        # Open now and a schedule: one of the two (the schedule was silently dropped).
        survey_body(wards=[WARD], opens_at="2099-01-01T08:00:00+07:00"),
        # Too large to write for every ward in one request: 126 × (10 × 16) rows.
        survey_body(
            wards="all",
            questions=[
                {"text": f"Câu {i}", "options": [f"Phương án {j}" for j in range(15)]}
                for i in range(10)
            ],
        ),
        survey_body(wards="some"),
        # Their own ward only: allowed, so the questions are checked (one option is too few).
        survey_body(wards=[WARD], questions=[{"text": "Một phương án?", "options": ["Có"]}]),
    ):
        response = api.post("/api/v1/polls", json=bad)
        assert response.status_code == 422, (bad, response.get_json())
    assert api.get("/api/v1/poll-broadcasts/1").status_code == 404
    assert count(app, PollBroadcast) == 0
    assert count(app, Poll) == 0


def test_single_ward_answer_is_unchanged(app, api, staff):
    """`ward` alone: today's poll, a draft, with no broadcast in its answer."""
    api.login(staff)
    body = survey_body(wards=None, ward=WARD)
    del body["open"]
    created = api.post("/api/v1/polls", json=body)
    assert created.status_code == 201, created.get_json()
    data = created.get_json()
    assert data["status"] == "draft" and data["ward"] == WARD
    assert "polls" not in data and "broadcast_id" not in data
    assert count(app, PollBroadcast) == 0


def test_double_tap_creates_one_broadcast(app, api, city_admin):
    """The same Idempotency-Key and body: the first answer again, nothing new."""
    api.login(city_admin)
    headers = {**api.headers, "Idempotency-Key": "poll-broadcast-tap-01"}
    first = api.client.post("/api/v1/polls", json=survey_body(), headers=headers)
    second = api.client.post("/api/v1/polls", json=survey_body(), headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.get_json() == second.get_json()
    assert second.headers.get("Idempotent-Replayed") == "true"
    other = api.client.post("/api/v1/polls", json=survey_body(title="Khác hẳn"), headers=headers)
    assert other.status_code == 422
    assert count(app, PollBroadcast) == 1
    assert count(app, Poll) == 2


def test_lists_filter_by_the_department_sent_in(app, api, people, departments):
    """`?department=` keeps the sends in that department's name, past a page of the city's own
    (the department console lists its own by it)."""
    grant(app, people[0], "city_admin")
    api.login(people[0])
    ours = api.post("/api/v1/polls", json=survey_body(department="SKHCN"))
    assert ours.status_code == 201, ours.get_json()
    for _ in range(3):
        assert api.post("/api/v1/polls", json=survey_body()).status_code == 201
    page = api.get("/api/v1/poll-broadcasts?limit=2").get_json()["items"]
    assert ours.get_json()["id"] not in [b["id"] for b in page]
    mine = api.get("/api/v1/poll-broadcasts?limit=2&department=skhcn").get_json()["items"]
    assert [b["id"] for b in mine] == [ours.get_json()["id"]]
    notice = api.post(
        "/api/v1/notices",
        json={
            "title": "Thông báo của sở",
            "body": "Nội dung.",
            "category": "thong_tin_co_so",
            "wards": [WARD],
            "department": "SKHCN",
        },
    )
    assert notice.status_code == 201, notice.get_json()
    listed = api.get("/api/v1/broadcasts?department=SKHCN").get_json()["items"]
    assert [b["id"] for b in listed] == [notice.get_json()["id"]]
    assert api.get("/api/v1/broadcasts?department=SCT").get_json()["items"] == []
