"""Demo polls: an open vote and a closed consultation in Hoàn Kiếm, an open survey in Đa Phúc,
and in every other pilot ward an open two-question survey, so that each ward shows a poll.

Created by each ward's demo admin for the ward's followers, with a few ballots by demo
citizens. Idempotent: a poll is found by (ward, title) and left alone if it exists.
"""

from datetime import timedelta

import sqlalchemy as sa

from app.database import utcnow
from app.extensions import db
from app.identity import demo as people
from app.identity import service as identity
from community.groups import service as groups
from community.polls import service
from community.polls.models import Poll

HOAN_KIEM, DA_PHUC = "00070", "00424"


def _plans(now):
    """Return (ward, poll arguments, ballots as option positions per question, close?)."""
    return [
        (
            HOAN_KIEM,
            {
                "kind": "vote",
                "title": "Biểu quyết lắp đặt camera an ninh tại các ngõ",
                "description": "Kinh phí xã hội hóa, dự kiến 1,2 triệu đồng mỗi hộ.",
                "questions": [
                    {
                        "text": "Bạn có đồng ý lắp camera an ninh?",
                        "options": ["Đồng ý", "Không đồng ý"],
                    }
                ],
                "opens_at": now - timedelta(days=1),
                "closes_at": now + timedelta(days=6),
                "results_visibility": "after_vote",
                "quorum_percent": 50,
            },
            [[(0,)], [(0,)], [(1,)]],
            False,
        ),
        (
            HOAN_KIEM,
            {
                "kind": "consultation",
                "title": "Xin ý kiến dự thảo quy ước giữ gìn vệ sinh chung",
                "questions": [
                    {"text": "Giờ đổ rác từ 18 giờ đến 20 giờ hằng ngày"},
                    {"text": "Không để xe máy trên vỉa hè sau 22 giờ"},
                ],
                "opens_at": now - timedelta(days=10),
                "closes_at": now - timedelta(days=3),
                "results_visibility": "after_close",
            },
            [[(0,), (0,)], [(0,), (2,)], [(1,), (0,)], [(0,), (1,)], [(0,), (0,)]],
            True,
        ),
        (
            DA_PHUC,
            {
                "kind": "survey",
                "title": "Khảo sát nhu cầu học kỹ năng số của người dân",
                "questions": [
                    {
                        "text": "Bạn muốn được hướng dẫn nội dung nào?",
                        "options": ["Cài đặt VNeID", "Dùng iHanoi", "Thanh toán không tiền mặt"],
                        "min_choices": 1,
                        "max_choices": 3,
                    },
                    {
                        "text": "Thời gian thuận tiện",
                        "options": ["Buổi sáng", "Buổi tối", "Cuối tuần"],
                    },
                    {"text": "Góp ý khác", "type": "text", "min_choices": 0},
                ],
                "opens_at": now - timedelta(days=2),
                "closes_at": now + timedelta(days=12),
                "results_visibility": "always",
            },
            [[(0, 1), (2,)], [(2,), (1,)], [(0,), (0,)]],
            False,
        ),
        *(
            (ward_code, _office_hours_survey(now), [[(0,), (1,)], [(1,), (1,)]], False)
            for ward_code in people.PILOT_WARDS
            if ward_code not in (HOAN_KIEM, DA_PHUC)
        ),
    ]


def _office_hours_survey(now) -> dict:
    """A survey every pilot ward can run: when the one-stop office should open on Saturdays."""
    return {
        "kind": "survey",
        "title": "Khảo sát giờ tiếp dân của bộ phận một cửa",
        "questions": [
            {
                "text": "Bạn có muốn bộ phận một cửa mở sáng thứ Bảy?",
                "options": ["Có", "Không cần"],
            },
            {
                "text": "Bạn thường đến phường vào lúc nào?",
                "options": ["Trước 9 giờ", "Từ 9 giờ đến 11 giờ", "Buổi chiều"],
                "min_choices": 1,
                "max_choices": 2,
            },
        ],
        "opens_at": now - timedelta(days=1),
        "closes_at": now + timedelta(days=20),
        "results_visibility": "after_vote",
    }


def load() -> None:
    """Create the demo polls with a few ballots (idempotent)."""
    now = utcnow()
    for ward_code, args, ballots, close in _plans(now):
        if db.session.scalar(
            sa.select(Poll.id).where(Poll.ward_code == ward_code, Poll.title == args["title"])
        ):
            continue
        citizens = people.citizens_of(ward_code)
        users = [people.demo_user(c.sub) for c in citizens]
        for user in users:
            groups.follow_ward(user=user, ward_code=ward_code)
        db.session.flush()
        admin = people.demo_user(people.staff_sub(ward_code))
        poll = service.create(
            user=admin, ward_code=ward_code, community_id=None, now=args["opens_at"], **args
        )
        voting_time = args["opens_at"] + timedelta(hours=5)
        for voter, picks in zip(users[2:], ballots, strict=False):
            answers = [
                {"question": q.id, "options": [q.options[i].id for i in pick]}
                for q, pick in zip(poll.questions, picks, strict=False)
            ]
            outcome = service.cast_ballot(
                poll_id=poll.id,
                caller=identity.Credential.known(voter.id),
                answers=answers,
                now=voting_time,
            )
            if isinstance(outcome, service.NotWritten):
                raise RuntimeError(f"demo ballot refused in poll {poll.id}")
        if close:
            service.advance(poll, now)
        db.session.flush()
