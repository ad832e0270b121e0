"""Fixtures for the identity tests."""

import pytest

from app.extensions import db
from tests.conftest import make_app


@pytest.fixture
def extra_app(database_url, app):
    """Create more apps on the test database (another worker, other settings).

    Their engines are disposed afterwards (pooled connections must not outlive the test);
    the `app` fixture removes the rows they write.
    """
    made = []

    def factory(instance_path: str, **config):
        extra = make_app(database_url, instance_path, **config)
        made.append(extra)
        return extra

    yield factory
    for extra in made:
        with extra.app_context():
            db.session.remove()
            db.engine.dispose()
