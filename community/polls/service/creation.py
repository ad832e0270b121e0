"""Creating a poll: its questions checked against its kind, then stored as a draft or scheduled."""

from datetime import datetime

from app.database import utcnow
from app.extensions import db
from app.identity.models import User
from community.polls.exceptions import field_error
from community.polls.models import Poll, PollOption, PollQuestion
from community.polls.service.lifecycle import advance, audit

CONSULTATION_OPTIONS = ("Đồng ý", "Không đồng ý", "Không ý kiến")


def _questions_for(kind: str, questions: list[dict]) -> list[dict]:
    """Check the questions against the kind and fill in the kind's defaults."""
    if not questions:
        raise field_error("questions", "Cần ít nhất một câu hỏi.")
    if kind in ("vote", "election") and len(questions) != 1:
        raise field_error("questions", "Biểu quyết và bầu cử có đúng một câu hỏi.")
    made = []
    for index, question in enumerate(questions):
        qtype = question.get("type") or "choice"
        options = [" ".join(o.split()) for o in question.get("options") or []]
        where = f"questions.{index}"
        if qtype == "text":
            if kind != "survey":
                raise field_error(where, "Chỉ khảo sát mới có câu hỏi trả lời tự do.")
            if options:
                raise field_error(where, "Câu hỏi trả lời tự do không có phương án.")
            low = question.get("min_choices")
            made.append(
                {
                    "text": question["text"],
                    "type": "text",
                    "min_choices": 1 if low is None else min(low, 1),
                    "max_choices": 1,
                    "allow_comment": False,
                    "options": [],
                }
            )
            continue
        allow_comment = bool(question.get("allow_comment"))
        if kind == "consultation":
            options = options or list(CONSULTATION_OPTIONS)
            allow_comment = question.get("allow_comment", True) is not False
        elif allow_comment:
            raise field_error(where, "Chỉ câu hỏi xin ý kiến mới kèm góp ý.")
        if len(options) < 2:
            raise field_error(where, "Câu hỏi lựa chọn cần ít nhất hai phương án.")
        if len({o.casefold() for o in options}) != len(options):
            raise field_error(where, "Các phương án của một câu hỏi phải khác nhau.")
        low = question.get("min_choices")
        high = question.get("max_choices")
        low = 1 if low is None else low
        high = max(low, 1) if high is None else high
        if not (0 <= low <= high <= len(options)) or high < 1:
            raise field_error(where, "Số lựa chọn tối thiểu, tối đa không hợp lệ với số phương án.")
        made.append(
            {
                "text": question["text"],
                "type": "choice",
                "min_choices": low,
                "max_choices": high,
                "allow_comment": allow_comment,
                "options": options,
            }
        )
    return made


def create(
    *,
    user: User,
    ward_code: str,
    community_id: int | None,
    title: str,
    kind: str,
    questions: list[dict],
    description: str | None = None,
    secret: bool | None = None,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    results_visibility: str = "after_close",
    quorum_percent: int = 0,
    one_per_household: bool = False,
    min_vneid_level: int = 1,
    allow_change: bool = False,
    now: datetime | None = None,
) -> Poll:
    """Create a poll: a draft without `opens_at`, otherwise scheduled to open then."""
    now = now or utcnow()
    if secret is None:
        secret = kind == "election"  # elections are secret unless said otherwise
    if secret and allow_change:
        raise field_error("allow_change", "Phiếu kín không thể sửa sau khi đã bỏ.")
    if one_per_household and community_id is None:
        raise field_error(
            "one_per_household", "Mỗi hộ một phiếu chỉ áp dụng cho cuộc bỏ phiếu của cộng đồng."
        )
    if closes_at is not None and closes_at <= now:
        raise field_error("closes_at", "Thời điểm kết thúc phải ở tương lai.")
    if opens_at is not None and closes_at is not None and closes_at <= opens_at:
        raise field_error("closes_at", "Thời điểm kết thúc phải sau thời điểm mở.")
    made = _questions_for(kind, questions)
    poll = Poll(
        ward_code=ward_code,
        community_id=community_id,
        kind=kind,
        title=" ".join(title.split()),
        description=description,
        secret=secret,
        results_visibility=results_visibility,
        quorum_percent=quorum_percent,
        one_per_household=one_per_household,
        min_vneid_level=min_vneid_level,
        allow_change=allow_change,
        status="draft" if opens_at is None else "scheduled",
        opens_at=opens_at,
        closes_at=closes_at,
        created_by_id=user.id,
    )
    for position, question in enumerate(made):
        poll.questions.append(
            PollQuestion(
                position=position,
                text=question["text"],
                type=question["type"],
                min_choices=question["min_choices"],
                max_choices=question["max_choices"],
                allow_comment=question["allow_comment"],
                options=[PollOption(position=i, text=t) for i, t in enumerate(question["options"])],
            )
        )
    db.session.add(poll)
    db.session.flush()
    audit(poll, "created", user)
    advance(poll, now)
    return poll
