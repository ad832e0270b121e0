"""Demo data: communities, leaders, members and a week of notices; loading twice is harmless."""

import sqlalchemy as sa

from app.extensions import db

PILOTS = ("00070", "00025", "00592", "00424", "09661")


def _counts(app) -> dict:
    from community.groups.models import Community, Membership, WardFollow
    from community.notices.models import Notice, NoticeRead, NoticeRecipient

    with app.app_context():
        return {
            model.__tablename__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (Community, Membership, WardFollow, Notice, NoticeRecipient, NoticeRead)
        }


def test_demo_load_is_idempotent_and_fills_the_pilot_wards(app, client):
    """`flask demo load` twice gives the same rows; each pilot ward has groups and notices."""
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    first = _counts(app)
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    assert _counts(app) == first
    assert all(first[name] > 0 for name in first)

    for ward in PILOTS:
        groups = client.get(f"/api/v1/wards/{ward}/communities").get_json()["items"]
        kinds = {g["kind"] for g in groups}
        assert {"chi_bo", "chi_hoi"} <= kinds
        assert ("thon" if ward in ("00424", "09661") else "to_dan_pho") in kinds
        assert all(g["leaders"] and g["member_count"] >= 2 for g in groups)

    from community.notices.models import Notice

    with app.app_context():
        notices = db.session.scalars(sa.select(Notice).where(Notice.ward_code == "00070")).all()
        assert len({n.category for n in notices}) >= 6
        assert sum(n.priority == "urgent" for n in notices) == 1
        assert sum(n.pinned for n in notices) == 1
