"""The personal-ID hash is keyed with PERSONAL_ID_KEY, never SECRET_KEY, and the key rotates."""

import hashlib
import hmac

import sqlalchemy as sa

from app.extensions import db
from app.identity import service
from app.identity.models import User

PERSONAL_ID = "001061565529"
OLD_KEY = "personal-id-key-old-" + "o" * 32
NEW_KEY = "personal-id-key-new-" + "n" * 32


def _hash_in(app, personal_id: str = PERSONAL_ID) -> str:
    with app.app_context():
        return service.personal_id_hash(personal_id)


def _sign_in(app, sub: str) -> str:
    """Sign `sub` in with the provider's claims (the ID number in clear); return the stored hash."""
    with app.app_context():
        user = service.sign_in(
            provider=service.MOCK_PROVIDER,
            claims={"sub": sub, "name": "Người thử", "vneid_level": 2, "personal_id": PERSONAL_ID},
        )
        db.session.commit()
        stored = db.session.scalar(sa.select(User.personal_id_hash).where(User.id == user.id))
        db.session.remove()
    return stored


def test_the_hash_does_not_depend_on_the_session_key(app, extra_app, tmp_path):
    """Whoever holds SECRET_KEY cannot recompute the hash: it changes with PERSONAL_ID_KEY only."""
    one = extra_app(str(tmp_path), SECRET_KEY="a" * 48, PERSONAL_ID_KEY=NEW_KEY)
    two = extra_app(str(tmp_path), SECRET_KEY="b" * 48, PERSONAL_ID_KEY=NEW_KEY)
    other_key = extra_app(str(tmp_path), SECRET_KEY="a" * 48, PERSONAL_ID_KEY=OLD_KEY)
    assert _hash_in(one) == _hash_in(two)
    assert _hash_in(one) != _hash_in(other_key)
    with_secret = hmac.new(b"a" * 48, b"personal-id:" + PERSONAL_ID.encode(), hashlib.sha256)
    assert _hash_in(one) != with_secret.hexdigest()
    assert app.config["PERSONAL_ID_KEY"] != app.config["SECRET_KEY"]


def test_rotation_rewrites_the_hash_at_the_next_sign_in(app, extra_app, tmp_path):
    """With PERSONAL_ID_KEY_PREVIOUS set, an old hash still matches, and signing in rewrites it
    under the new key; once rewritten, the previous key can be dropped."""
    before = extra_app(str(tmp_path), PERSONAL_ID_KEY=OLD_KEY)
    old_hash = _sign_in(before, "rotation-sub")
    assert old_hash == _hash_in(before)

    during = extra_app(str(tmp_path), PERSONAL_ID_KEY=NEW_KEY, PERSONAL_ID_KEY_PREVIOUS=OLD_KEY)
    with during.app_context():
        assert service.personal_id_matches(old_hash, PERSONAL_ID)
        assert not service.personal_id_matches(old_hash, "001061565528")
    new_hash = _sign_in(during, "rotation-sub")
    assert new_hash != old_hash
    assert new_hash == _hash_in(during)

    after = extra_app(str(tmp_path), PERSONAL_ID_KEY=NEW_KEY)
    with after.app_context():
        assert service.personal_id_matches(new_hash, PERSONAL_ID)
        assert not service.personal_id_matches(old_hash, PERSONAL_ID)
