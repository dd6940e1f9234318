from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, Iterator, List, Tuple

import pytest

import booking_core
from booking_core import Engine, Show, simple_pricing

T0 = datetime(2030, 1, 1, tzinfo=timezone.utc)
KEY = b"test-signing-key-of-32-bytes...."
LAYOUT = """
section Stalls category=standard
row A: 1-10
row B: 1-4 _ 5-8
row C: w1 c2 3-4 (5 6) x7 8
"""


def pytest_report_header() -> List[str]:
    return [f"booking_core: {os.path.dirname(booking_core.__file__)}"]


def pytest_sessionstart(session: pytest.Session) -> None:
    # ./scripts/test-python runs the tests against the wheel it installed, never the source tree.
    site = os.environ.get("BOOKING_PY_SITE_PACKAGES")
    if site:
        where = os.path.realpath(booking_core.__file__)
        assert where.startswith(os.path.realpath(site) + os.sep), f"booking_core comes from {where}, not {site}"


def schedule(engine: Engine, screen: int, day: int = 1, **kw: Any) -> Show:
    start = T0 + timedelta(days=day)
    pricing: Dict[str, Any] = kw.pop("pricing", simple_pricing("EUR", {"standard": 1000}))
    return engine.schedule_show(screen, "Metropolis", start, start + timedelta(hours=2), pricing, no_orphan=False, **kw)


@pytest.fixture
def engine() -> Engine:
    return Engine(KEY, clock=T0)


@pytest.fixture
def show(engine: Engine) -> Show:
    theatre = engine.create_theatre("Odeon", "Paris", "Europe/Paris")
    screen = engine.add_screen(theatre.id, "One", LAYOUT)
    return schedule(engine, screen.id)
