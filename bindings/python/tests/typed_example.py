"""An example that uses the package's types; `mypy --strict` checks it with the package."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import List

import asyncio

from booking_core import (
    AsyncEngine, Engine, Hold, InvalidInputError, Money, Screen, SeatMap, SeatUnavailableError, Theatre, simple_pricing,
)


def book_two(engine: Engine, show: int) -> Money:
    seats: List[str] = engine.best_available(show, 2)
    hold: Hold = engine.hold(show, "ann", seats)
    try:
        engine.hold(show, "bob", seats)
    except SeatUnavailableError as e:
        taken: List[str] = e.seats
        assert taken
    booking = engine.create_booking(hold.id, "ann", "typed-1")
    done = engine.confirm_booking(booking.id, "ann", "psp", "typed-2")
    return done.booking.quote.total


async def available_seats(engine: AsyncEngine, show: int) -> int:
    seat_map: SeatMap = await engine.seat_map(show)
    return seat_map.available


async def open_and_hold(now: datetime) -> Hold:
    async with await AsyncEngine.open(b"k" * 32, clock=now, hold_ttl=timedelta(minutes=5)) as engine:
        theatre: Theatre = await engine.create_theatre("Rex", "Lyon", "Europe/Paris")
        screen = await engine.add_screen(theatre.id, "One", "section Main category=standard\nrow A: 1-4\n")
        start = now + timedelta(days=1)
        pricing = simple_pricing("EUR", {"standard": 1000})
        show = await engine.schedule_show(screen.id, "M", start, start + timedelta(hours=2), pricing)
        holds: List[Hold] = await asyncio.gather(*(engine.hold(show.id, f"fan-{n}", [f"A{n}"]) for n in (1, 2)))
        return holds[0]


def change_catalogue(engine: Engine) -> None:
    theatre: Theatre = engine.create_theatre("Rex", "Lyon", "Europe/Paris")
    theatre = engine.update_theatre(theatre.id, "Le Rex", "Lyon", "Europe/Paris")
    screen: Screen = engine.add_screen(theatre.id, "One", "section Main category=standard\nrow A: 1-4\n")
    screen = engine.update_screen(screen.id, "Main", json.loads(screen.layout_json))
    try:
        engine.remove_theatre(theatre.id)
    except InvalidInputError as e:
        field: str = e.field
        assert field == "theatre"
    engine.remove_screen(screen.id)
    engine.remove_theatre(theatre.id)


def main() -> None:
    now = datetime(2030, 1, 1, tzinfo=timezone.utc)
    engine = Engine(b"k" * 32, clock=now)
    theatre = engine.create_theatre("Odeon", "Paris", "Europe/Paris")
    screen = engine.add_screen(theatre.id, "One", "section Main category=standard\nrow A: 1-10\n")
    start = now + timedelta(days=1)
    show = engine.schedule_show(screen.id, "M", start, start + timedelta(hours=2), simple_pricing("EUR", {"standard": 1000}))
    total = book_two(engine, show.id)
    print(total.amount, total.currency)
    print(asyncio.run(available_seats(AsyncEngine.wrapping(engine), show.id)))
    change_catalogue(engine)
    hold = asyncio.run(open_and_hold(now))
    assert hold.expires_at - hold.placed_at == timedelta(minutes=5)


if __name__ == "__main__":
    main()
