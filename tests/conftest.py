from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
ARTICLES = Path(settings.SHARED_DIR) / "articles"


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rolled-back tests reuse ids on SQLite, so a count remembered by one test must not reach the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def vietnamese():
    """A request in English leaves its language active in the thread; the next test starts in Vietnamese again."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def scales(db):
    """The regimes and their levels, as `make run` loads them."""
    call_command("loaddata", FIXTURES / "scales.json", verbosity=0)


@pytest.fixture
def reference_data(scales):
    """Scales, the article units and every article figure."""
    call_command("loaddata", FIXTURES / "units.json", FIXTURES / "articles.json", verbosity=0)


@pytest.fixture
def make_unit(db):
    from ratings.models import Unit, UnitKind

    def make(code, *, parent=None, kind=None, name=None, **fields):
        kind = kind or (UnitKind.PROVINCE if parent is None else UnitKind.SUBORDINATE)
        return Unit.objects.create(code=code, name=name or f"Đảng bộ {code}", kind=kind, parent=parent, **fields)

    return make


@pytest.fixture
def rate(scales):
    """Store a rating by level code, the way the admin resolves it."""
    from ratings.models import Level, Rating, Regime

    def rate(unit, year, code, *, stage="approved", **fields):
        regime = Regime.objects.for_year(year).get()
        return Rating.objects.create(
            unit=unit, year=year, stage=stage, level=Level.objects.get(regime=regime, code=code), **fields
        )

    return rate


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives Chromium against the live server (make test-browser)")
