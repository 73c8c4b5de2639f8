import pytest

from tests.pages.helpers import downloads  # noqa: F401  (fixture)


@pytest.fixture(autouse=True)
def _db(use_fixture_db):
    return use_fixture_db
