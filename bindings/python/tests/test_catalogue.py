"""Catalogue changes through the binding: what crosses (types, layouts as text or JSON, None) and
how refusals arrive (their classes and details). The rules themselves are the core's to test."""

from __future__ import annotations

import json

import asyncio

import pytest

import booking_core as bc
from booking_core import Engine, Show

from conftest import KEY, LAYOUT, T0

SMALL = "section Main category=standard\nrow A: 1-4\n"


def test_update_theatre_answers_a_theatre_and_remove_theatre_none(engine: Engine) -> None:
    theatre = engine.create_theatre("Odeon", "Paris", "Europe/Paris")
    renamed = engine.update_theatre(theatre.id, "Rex", "Lyon", "Europe/London")
    assert (renamed.id, renamed.name, renamed.city, renamed.time_zone) == (theatre.id, "Rex", "Lyon", "Europe/London")
    assert engine.theatres() == [renamed] and engine.theatre(theatre.id) == renamed
    assert engine.remove_theatre(theatre.id) is None
    assert engine.theatres() == []


def test_update_screen_takes_the_layout_as_text_or_json_like_add_screen(engine: Engine) -> None:
    theatre = engine.create_theatre("Odeon", "Paris", "Europe/Paris")
    screen = engine.add_screen(theatre.id, "One", LAYOUT)
    by_text = engine.update_screen(screen.id, "Small", SMALL)
    assert isinstance(by_text, bc.Screen) and by_text.seat_count == 4
    assert (by_text.id, by_text.theatre, by_text.name) == (screen.id, theatre.id, "Small")
    assert [s.label for s in Engine.parse_layout(by_text.layout_text).seats] == ["A1", "A2", "A3", "A4"]
    by_json = engine.update_screen(screen.id, "Big", json.loads(screen.layout_json))
    assert by_json.layout_json == screen.layout_json and by_json.name == "Big"
    assert engine.screens(theatre.id) == [by_json] and engine.screen(screen.id) == by_json
    assert engine.remove_screen(screen.id) is None
    assert engine.screens(theatre.id) == []


def test_refusals_arrive_as_their_error_classes_with_details(engine: Engine, show: Show) -> None:
    with pytest.raises(bc.InvalidInputError) as has_screens:
        engine.remove_theatre(show.theatre)
    assert has_screens.value.field == "theatre" and has_screens.value.reason
    with pytest.raises(bc.InvalidInputError) as scheduled:
        engine.remove_screen(show.screen)
    assert scheduled.value.field == "screen" and not scheduled.value.retryable
    for missing in (
        lambda: engine.update_theatre(999_999, "X", "Y", "Europe/Paris"),
        lambda: engine.remove_theatre(999_999),
        lambda: engine.update_screen(999_999, "X", SMALL),
        lambda: engine.remove_screen(999_999),
    ):
        with pytest.raises(bc.NotFoundError) as e:
            missing()
        assert e.value.code == "NOT_FOUND" and e.value.details["entity"] in ("theatre", "screen")
    with pytest.raises(bc.InvalidInputError) as zone:
        engine.update_theatre(show.theatre, "Odeon", "Paris", "Mars/Olympus")
    assert zone.value.field == "time_zone"
    with pytest.raises(bc.InvalidInputError) as name:
        engine.update_screen(show.screen, "", SMALL)
    assert name.value.field == "name"
    with pytest.raises(bc.InvalidLayoutError):
        engine.update_screen(show.screen, "One", "row A: 1-3 3")
    with pytest.raises(bc.InvalidLayoutError):
        engine.update_screen(show.screen, "One", {"sections": "not a list"})
    with pytest.raises(bc.InvalidInputError) as negative:
        engine.remove_screen(-1)
    assert negative.value.field == "arguments"


def test_the_async_face_has_the_same_four() -> None:
    async def main() -> None:
        engine = bc.AsyncEngine(KEY, clock=T0)
        theatre = await engine.create_theatre("Odeon", "Paris", "Europe/Paris")
        screen = await engine.add_screen(theatre.id, "One", SMALL)
        assert (await engine.update_screen(screen.id, "Two", LAYOUT)).seat_count == 26
        assert (await engine.update_theatre(theatre.id, "Rex", "Lyon", "Europe/Paris")).name == "Rex"
        assert await engine.remove_screen(screen.id) is None
        assert await engine.remove_theatre(theatre.id) is None
        with pytest.raises(bc.NotFoundError):
            await engine.remove_theatre(theatre.id)

    asyncio.run(main())
