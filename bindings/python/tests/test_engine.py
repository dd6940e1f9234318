"""The Python binding end to end: values, the booking flow, errors, threads and asyncio."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

import booking_core as bc
from booking_core import Engine, Show

from conftest import KEY, LAYOUT, T0, schedule


def test_values_cross_as_python_types(engine: Engine, show: Show) -> None:
    assert show.starts_at == T0 + timedelta(days=1) and show.starts_at.tzinfo is not None
    hold = engine.hold(show.id, "ann", ["A4", "A5"])
    assert hold.expires_at - hold.placed_at == timedelta(minutes=10)
    assert (hold.quote.total.minor, hold.quote.total.currency, hold.quote.total.exponent) == (2000, "EUR", 2)
    assert Decimal(hold.quote.total.amount) == Decimal("20.00") and isinstance(hold.quote.total.minor, int)
    assert [line.seat for line in hold.quote.lines] == ["A4", "A5"]
    assert sum(line.total_minor for line in hold.quote.lines) == hold.quote.total.minor
    assert hold.seats == ("A4", "A5") and hold.show == show.id
    # The hot path reads a hold's id and fence off the hold: they are its view's.
    assert (hold.id, hold.fence) == (hold.to_json()["id"], hold.to_json()["fence"])
    released = engine.release_hold(engine.hold(show.id, "bob", ["B1"]).id, "bob")
    assert (released.id, released.fence) == (released.to_json()["id"], released.to_json()["fence"])
    assert engine.hold_info(hold.id) == hold, "values compare by content"
    assert "Hold(id=" in repr(hold)
    assert engine.now() == T0
    engine.advance(timedelta(minutes=11))
    assert engine.now() == T0 + timedelta(minutes=11)


def test_a_naive_datetime_is_refused_with_its_field(engine: Engine, show: Show) -> None:
    with pytest.raises(bc.InvalidInputError) as e:
        engine.schedule_show(show.screen, "Naive", datetime(2030, 2, 1), datetime(2030, 2, 1, 2), {})
    assert e.value.field == "starts_at" and "timezone" in e.value.reason


def test_the_whole_booking_flow(engine: Engine, show: Show) -> None:
    seat_map = engine.seat_map(show.id)
    assert seat_map.available == sum(1 for s in seat_map.seats if s.status == "available")
    best = engine.best_available(show.id, 2)
    hold = engine.hold(show.id, "ann", best)
    assert {s.label: s.status for s in engine.seat_map(show.id).seats}[best[0]] == "held"
    hold = engine.extend_hold(hold.id, "ann", hold.fence)
    booking = engine.create_booking(hold.id, "ann", "create-1")
    assert engine.create_booking(hold.id, "ann", "create-1") == booking, "a retry gets the first answer"
    done = engine.confirm_booking(booking.id, "ann", "psp-1", "pay-1")
    assert done.booking.status == "confirmed" and len(done.tickets) == 2
    assert engine.tickets(booking.id, "ann") == list(done.tickets)
    checked = engine.check_in(done.tickets[0].code)
    assert checked.booking.status == "checked_in" and checked.ticket.checked_in
    with pytest.raises(bc.AlreadyCheckedInError):
        engine.check_in(done.tickets[0].code)
    assert [b.id for b in engine.bookings_of("ann")] == [booking.id]
    events = engine.events_since(show.id)
    kinds = [e.kind for e in events]
    assert kinds[:2] == ["show_scheduled", "hold_placed"] and "booking_confirmed" in kinds
    assert events[1].seats == tuple(best) and events[1].seat_status == "held"
    assert engine.log_head(show.id) == events[-1].seq
    each = engine.events_since_each({show.id: events[-2].seq}, limit=10)
    assert [(e.show, e.seq) for e in each] == [(show.id, events[-1].seq)]
    assert (engine.sweep_expired().holds_expired, engine.sweep_expired().bookings_expired) == (0, 0)


def test_errors_carry_their_code_and_details_and_change_nothing(engine: Engine, show: Show) -> None:
    engine.hold(show.id, "ann", ["A5"])
    events = len(engine.events_since(show.id))
    with pytest.raises(bc.SeatUnavailableError) as taken:
        engine.hold(show.id, "bob", ["A4", "A5", "A6"])
    assert taken.value.seats == ["A5"] and taken.value.code == "SEAT_UNAVAILABLE" and not taken.value.retryable
    assert isinstance(taken.value, bc.BookingError)
    assert len(engine.events_since(show.id)) == events, "a refused hold appends nothing"
    assert {s.label: s.status for s in engine.seat_map(show.id).seats}["A4"] == "available"
    with pytest.raises(bc.NotFoundError):
        engine.show(999_999)
    with pytest.raises(bc.SelectionRuleError) as rule:
        engine.hold(show.id, "bob", ["C5"])
    assert rule.value.seats
    with pytest.raises(bc.InvalidInputError) as bad:
        engine.hold(show.id, "bob", [])
    assert bad.value.field == "seats"
    hold = engine.hold(show.id, "bob", ["A1"])
    with pytest.raises(bc.NotOwnerError):
        engine.release_hold(hold.id, "eve")
    with pytest.raises(bc.StaleFenceError):
        engine.release_hold(hold.id, "bob", hold.fence + 100)
    with pytest.raises(bc.InvalidLayoutError):
        Engine.parse_layout("row A: 1-3 3")
    with pytest.raises(bc.InvalidTicketError):
        engine.check_in("T2.forged")
    with pytest.raises(bc.ShowOverlapError):
        schedule(engine, show.screen)
    with pytest.raises(bc.PromoRejectedError):
        engine.quote(show.id, ["A2"], promo_code="NOPE")
    booking = engine.create_booking(hold.id, "bob", "k1")
    with pytest.raises(bc.IdempotencyConflictError):
        engine.confirm_booking(booking.id, "bob", "psp", "k1")
    engine.advance(timedelta(hours=1))
    with pytest.raises(bc.HoldExpiredError):
        engine.confirm_booking(booking.id, "bob", "psp", "late-pay")
    with pytest.raises(bc.InvalidTransitionError):
        engine.refund_booking(booking.id)
    with pytest.raises(bc.InvalidInputError):
        Engine(b"short")


def test_every_core_error_code_has_its_class() -> None:
    codes = set(bc._native.Engine.error_codes())
    assert codes == set(bc.ERRORS), codes ^ set(bc.ERRORS)
    for code, cls in bc.ERRORS.items():
        assert issubclass(cls, bc.BookingError) and cls.code == code


def test_threads_race_for_the_same_seats_and_one_wins_each(engine: Engine, show: Show) -> None:
    seats = ["A1", "A2", "A3", "A4", "A5", "A6"]
    won: list[bc.Hold] = []
    lock = threading.Lock()
    barrier = threading.Barrier(8)

    def racer(n: int) -> None:
        barrier.wait()
        for i in range(40):
            pick = [seats[(n + i) % 6], seats[(n + i + 1) % 6]]
            try:
                hold = engine.hold(show.id, f"racer-{n}", pick)
            except (bc.SeatUnavailableError, bc.LimitExceededError):
                continue
            with lock:
                won.append(hold)

    threads = [threading.Thread(target=racer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    taken = [s for h in won for s in h.seats]
    assert won and len(taken) == len(set(taken)), "a seat was held twice"


def test_the_gil_is_released_while_the_engine_works(engine: Engine, show: Show) -> None:
    ticks = 0
    stop = threading.Event()

    def counter() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1

    t = threading.Thread(target=counter)
    t.start()
    for _ in range(200):
        engine.seat_map(show.id)
    stop.set()
    t.join()
    assert ticks > 0


def test_asyncio_flavour(show: Show) -> None:
    async def main() -> None:
        engine = bc.AsyncEngine(KEY, clock=T0)
        theatre = await engine.create_theatre("Rex", "Lyon", "Europe/Paris")
        screen = await engine.add_screen(theatre.id, "Two", LAYOUT)
        start = T0 + timedelta(days=2)
        s = await engine.schedule_show(screen.id, "M", start, start + timedelta(hours=2), bc.simple_pricing("EUR", {"standard": 900}), no_orphan=False)
        results = await asyncio.gather(
            *(engine.hold(s.id, f"a{n}", ["A3"]) for n in range(10)), return_exceptions=True
        )
        winners = [r for r in results if isinstance(r, bc.Hold)]
        assert len(winners) == 1
        assert all(isinstance(r, bc.SeatUnavailableError) for r in results if not isinstance(r, bc.Hold))

    asyncio.run(main())


def test_layouts_parse_and_describe_their_seats() -> None:
    layout = Engine.parse_layout(LAYOUT)
    assert layout.seat_count == 26
    wheelchair = [s.label for s in layout.seats if s.wheelchair]
    assert wheelchair == ["C1"]
    again = Engine.parse_layout(json_form=layout.spec)
    assert again == layout


@pytest.mark.parametrize("holds_on", ["postgresql", "redis"])
def test_the_engine_runs_on_postgresql_and_redis_by_url(holds_on: str) -> None:
    # In a schema of its own, created on connect; the engine closes with its `with` block.
    # ./scripts/test gives every run a database of its own and a Redis; without them this fails,
    # never skips.
    url = os.environ.get("BOOKING_TEST_DATABASE_URL")
    assert url, "BOOKING_TEST_DATABASE_URL is not set (./scripts/test sets it)"
    redis_url = None
    if holds_on == "redis":
        redis_url = os.environ.get("BOOKING_TEST_REDIS_URL")
        assert redis_url, "BOOKING_TEST_REDIS_URL is not set (./scripts/test sets it)"
    schema = f"bc_py_{holds_on}_{os.getpid()}_{int(time.time() * 1000) % 10**9}"
    with Engine(KEY, database_url=url, redis_url=redis_url, schema=schema, clock=T0 + timedelta(days=400)) as engine:
        check_on_store(engine)
    with pytest.raises(bc.StoreFailureError):
        engine.theatres()
    with pytest.raises(bc.InvalidInputError) as bad_schema:
        Engine(KEY, database_url=url, schema="Bad-Name")
    assert bad_schema.value.field == "schema"


def check_on_store(engine: Engine) -> None:
    theatre = engine.create_theatre("PG", "Brest", "Europe/Paris")
    screen = engine.add_screen(theatre.id, "One", LAYOUT)
    start = T0 + timedelta(days=401)
    show = engine.schedule_show(screen.id, "M", start, start + timedelta(hours=2), bc.simple_pricing("EUR", {"standard": 700}), no_orphan=False)
    hold = engine.hold(show.id, "ann", ["A1", "A2"])
    with pytest.raises(bc.SeatUnavailableError):
        engine.hold(show.id, "bob", ["A2"])
    booking = engine.create_booking(hold.id, "ann", "pg-create")
    assert engine.confirm_booking(booking.id, "ann", "psp", "pg-pay").booking.status == "confirmed"
    kinds = [e.kind for e in engine.events_since(show.id, 0)]
    assert kinds[:3] == ["show_scheduled", "hold_placed", "booking_created"], kinds
    with pytest.raises(bc.InvalidInputError):
        Engine(KEY, redis_url="redis://127.0.0.1:6379")


def test_the_remaining_error_classes_each_for_its_case(show: Show) -> None:
    engine = Engine(KEY, clock=T0, holds_per_owner_max=1)
    theatre = engine.create_theatre("Rex", "Lyon", "Europe/Paris")
    screen = engine.add_screen(theatre.id, "Two", LAYOUT)
    with pytest.raises(bc.InvalidInputError) as missing:
        schedule(engine, screen.id, pricing=bc.simple_pricing("EUR", {"vip": 500}))
    assert missing.value.field == "pricing.category_prices"
    with pytest.raises(bc.InvalidPricingError):
        schedule(engine, screen.id, pricing=bc.simple_pricing("EUR", {"standard": -5}))
    later = schedule(engine, screen.id, day=30, sales_open_at=T0 + timedelta(days=10))
    with pytest.raises(bc.SalesClosedError):
        engine.hold(later.id, "ann", ["A1"])
    open_now = schedule(engine, screen.id, day=2)
    engine.hold(open_now.id, "ann", ["A1"])
    with pytest.raises(bc.LimitExceededError) as limit:
        engine.hold(open_now.id, "ann", ["A2"])
    assert limit.value.details["limit"] == "holds_per_owner"
    with pytest.raises(bc.StoreUnavailableError) as down:
        Engine(KEY, database_url="postgres://nobody@127.0.0.1:9/none")
    assert down.value.retryable
    with pytest.raises(bc.InvalidInputError) as unknown:
        engine._call("no_such_operation")
    assert unknown.value.field == "op"


def test_the_typed_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    import typed_example

    typed_example.main()
    assert capsys.readouterr().out.split() == ["20.00", "EUR", "8"]


def test_a_cap_of_tickets_per_owner_counts_held_pending_and_paid_seats() -> None:
    engine = Engine(KEY, clock=T0, tickets_per_owner_max=3)
    theatre = engine.create_theatre("Rex", "Lyon", "Europe/Paris")
    screen = engine.add_screen(theatre.id, "Cap", LAYOUT)
    show = schedule(engine, screen.id)
    assert show.tickets_per_owner_max == 3, "the engine's default cap"
    paid = engine.create_booking(engine.hold(show.id, "ann", ["A1"]).id, "ann", "c1")
    engine.confirm_booking(paid.id, "ann", "psp-1", "p1")
    engine.create_booking(engine.hold(show.id, "ann", ["A3"]).id, "ann", "c2")
    with pytest.raises(bc.LimitExceededError) as limit:
        engine.hold(show.id, "ann", ["A5", "A6"])
    assert limit.value.details == {"limit": "tickets_per_owner", "max": 3}
    assert engine.hold(show.id, "ann", ["A5"]).seats == ("A5",)
    assert engine.hold(show.id, "bob", ["A7", "A8"]).seats == ("A7", "A8"), "bob has his own count"
    own = schedule(engine, screen.id, day=2, tickets_per_owner_max=1)
    assert own.tickets_per_owner_max == 1
    with pytest.raises(bc.LimitExceededError):
        engine.hold(own.id, "ann", ["A1", "A2"])
    with pytest.raises(bc.InvalidInputError) as bad:
        schedule(engine, screen.id, day=3, tickets_per_owner_max=0)
    assert bad.value.field == "tickets_per_owner_max"


def test_accessible_places_are_kept_for_those_who_ask_until_released(engine: Engine, show: Show) -> None:
    later = schedule(engine, show.screen, day=5)
    assert later.accessible_until == later.starts_at - timedelta(hours=48)
    with pytest.raises(bc.SelectionRuleError) as kept:
        engine.hold(later.id, "ann", ["C1"])
    assert kept.value.details == {"rule": "accessible_only", "seats": ["C1"]}
    with pytest.raises(bc.SelectionRuleError) as alone:
        engine.hold(later.id, "ann", ["C2"], accessible=True)
    assert alone.value.details["rule"] == "companion_alone"
    assert engine.hold(later.id, "ann", ["C1", "C2"], accessible=True).seats == ("C1", "C2")
    soon = schedule(engine, show.screen, day=6, accessible_release_before=timedelta(days=7))
    assert soon.accessible_until is not None and soon.accessible_until < engine.now()
    assert engine.hold(soon.id, "bob", ["C2"]).seats == ("C2",), "released a week before the start"


def test_places_of_a_standing_zone_are_held_by_quantity() -> None:
    engine = Engine(KEY, clock=T0)
    theatre = engine.create_theatre("Rex", "Lyon", "Europe/Paris")
    hall = "section Main category=standard\nrow A: 1-4\nzone Standing capacity=3 category=standard\n"
    show = schedule(engine, engine.add_screen(theatre.id, "Hall", hall).id)
    quote = engine.quote(show.id, ["A1"], places={"Standing": 2})
    assert [line.seat for line in quote.lines] == ["A1", "Standing", "Standing"]
    hold = engine.hold(show.id, "ann", ["A1"], places={"Standing": 2})
    assert hold.quote.total == quote.total
    assert len(hold.seats) == 3 and hold.seats[0] == "A1"
    assert all(s.startswith("Standing-") for s in hold.seats[1:]), hold.seats
    assert tuple(line.seat for line in hold.quote.lines) == tuple(hold.seats)
    with pytest.raises(bc.SeatUnavailableError) as short:
        engine.hold(show.id, "bob", [], places={"Standing": 2})
    assert short.value.seats == ["Standing"]
    with pytest.raises(bc.InvalidInputError) as unknown:
        engine.hold(show.id, "bob", [], places={"Balcony": 1})
    assert unknown.value.field == "places[0].zone"
    assert len(engine.hold(show.id, "bob", [], places={"Standing": 1}).seats) == 1
