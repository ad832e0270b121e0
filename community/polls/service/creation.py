"""Creating a poll: its questions checked against its kind, then stored as a draft or scheduled."""

from datetime import datetime

from app.database import utcnow
from app.errors import ValidationFailed
from app.extensions import db
from app.identity.models import User
from community.polls.models import Poll, PollOption, PollQuestion
from community.polls.service.lifecycle import advance, audit

CONSULTATION_OPTIONS = ("Đồng ý", "Không đồng ý", "Không ý kiến")


def _refuse(field: str, label: str, message: str) -> ValidationFailed:
    return ValidationFailed.on_field(field, label, message)


def _questions_for(kind: str, questions: list[dict]) -> list[dict]:
    """Check the questions against the kind and fill in the kind's defaults."""
    if not questions:
        raise _refuse("questions", "Câu hỏi", "Cần ít nhất một câu hỏi.")
    if kind in ("vote", "election") and len(questions) != 1:
        raise _refuse("questions", "Câu hỏi", "Biểu quyết và bầu cử có đúng một câu hỏi.")
    made = []
    for index, question in enumerate(questions):
        qtype = question.get("type") or "choice"
        options = [" ".join(o.split()) for o in question.get("options") or []]
        where, label = f"questions.{index}", f"Câu hỏi {index + 1}"
        options_at, options_label = f"{where}.options", f"{label} – Lựa chọn"
        if qtype == "text":
            if kind != "survey":
                raise _refuse(
                    f"{where}.type",
                    f"{label} – Loại câu hỏi",
                    "Chỉ khảo sát mới có câu hỏi trả lời tự do.",
                )
            if options:
                raise _refuse(
                    options_at, options_label, "Câu hỏi trả lời tự do không có phương án."
                )
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
            raise _refuse(
                f"{where}.allow_comment",
                f"{label} – Cho phép góp ý",
                "Chỉ câu hỏi xin ý kiến mới kèm góp ý.",
            )
        if len(options) < 2:
            raise _refuse(options_at, options_label, "Câu hỏi lựa chọn cần ít nhất hai phương án.")
        if len({o.casefold() for o in options}) != len(options):
            raise _refuse(
                options_at, options_label, "Các phương án của một câu hỏi phải khác nhau."
            )
        low = question.get("min_choices")
        high = question.get("max_choices")
        low = 1 if low is None else low
        high = max(low, 1) if high is None else high
        if not (0 <= low <= high <= len(options)) or high < 1:
            raise _refuse(
                f"{where}.max_choices",
                f"{label} – Số lựa chọn tối đa",
                f"Số lựa chọn tối thiểu, tối đa không hợp lệ với {len(options)} phương án.",
            )
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
    broadcast_id: int | None = None,
    now: datetime | None = None,
) -> Poll:
    """Create a poll: a draft without `opens_at`, otherwise scheduled to open then."""
    now = now or utcnow()
    if secret is None:
        secret = kind == "election"  # elections are secret unless said otherwise
    if secret and allow_change:
        raise _refuse(
            "allow_change", "Cho phép đổi phiếu", "Phiếu kín không thể sửa sau khi đã bỏ."
        )
    if one_per_household and community_id is None:
        raise _refuse(
            "one_per_household",
            "Mỗi hộ một phiếu",
            "Chỉ áp dụng cho cuộc bỏ phiếu của cộng đồng.",
        )
    if closes_at is not None and closes_at <= now:
        raise _refuse("closes_at", "Thời điểm đóng", "Phải ở tương lai.")
    if opens_at is not None and closes_at is not None and closes_at <= opens_at:
        raise _refuse("closes_at", "Thời điểm đóng", "Phải sau thời điểm mở.")
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
        broadcast_id=broadcast_id,
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
