"""The engine: `Engine` (blocking; each call releases the GIL) and `AsyncEngine` (awaitable)."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from . import _native
from ._errors import BookingError, from_native
from ._types import Layout, duration_ms, from_ms, seat_choices, to_ms
from ._views import (
    Booking, CheckIn, Confirmation, Event, Hold, Quote, Screen, SeatMap, Show, ShowCancellation, SweepReport,
    Theatre, Ticket, TicketClaims, TicketKeys,
)

Seats = Union[Sequence[str], Mapping[str, Optional[str]]]
"""Seat labels, or labels mapped to a ticket type each (`None` for the default type)."""


def verify_ticket(code: str, public_keys: Sequence[str]) -> TicketClaims:
    """Verifies a ticket code offline with public keys alone (each the `x` of a key of
    `Engine.ticket_keys()`, or 64 hex digits), as a door scanner does without the store or the
    secret: InvalidTicketError when it is forged, malformed or signed by a key not given."""
    try:
        out = _native.verify_ticket(json.dumps({"code": code, "public_keys": list(public_keys)}))
    except _native.NativeError as e:
        code_, message, details = e.args
        raise from_native(code_, message, json.loads(details)) from None
    return TicketClaims.from_json(json.loads(out))


def simple_pricing(currency: str, category_prices: Mapping[str, int]) -> Dict[str, Any]:
    """A pricing policy with one base price (minor units) per seat category and nothing else."""
    return {
        "currency": currency,
        "category_prices": dict(category_prices),
        "ticket_types": [],
        "time_windows": [],
        "early_bird": [],
        "demand_tiers": [],
        "promos": [],
        "fee_per_ticket_minor": 0,
        "tax": {"rate_bp": 0, "mode": "inclusive"},
        "rounding": {"increment_minor": 1, "mode": "nearest"},
    }


def _config(
    hold_ttl: Optional[timedelta],
    hold_lifetime_max: Optional[timedelta],
    payment_window: Optional[timedelta],
    hold_seats_max: Optional[int],
    holds_per_owner_max: Optional[int],
) -> Optional[str]:
    config: Dict[str, Any] = {}
    if hold_ttl is not None:
        config["hold_ttl_ms"] = duration_ms(hold_ttl, "hold_ttl")
    if hold_lifetime_max is not None:
        config["hold_lifetime_ms_max"] = duration_ms(hold_lifetime_max, "hold_lifetime_max")
    if payment_window is not None:
        config["payment_window_ms"] = duration_ms(payment_window, "payment_window")
    if hold_seats_max is not None:
        config["hold_seats_max"] = hold_seats_max
    if holds_per_owner_max is not None:
        config["holds_per_owner_max"] = holds_per_owner_max
    return json.dumps(config) if config else None


class Engine:
    """The booking engine, on the in-memory store by default, on PostgreSQL by URL (`schema`
    puts its tables in a schema of their own, created when missing), or on PostgreSQL with the
    holds on Redis (`redis_url`, `redis://...` or `redis+cluster://...`).

    `signing_key` (at least 32 bytes) signs ticket codes. `clock` starts a manual clock at that
    instant (for tests and simulations; move it with `advance`); without it the system clock runs.
    Connecting and migrating release the GIL. `close()` (or leaving a `with` block) ends the
    engine and its connection pool.
    """

    def __init__(
        self,
        signing_key: bytes,
        *,
        database_url: Optional[str] = None,
        redis_url: Optional[str] = None,
        schema: Optional[str] = None,
        clock: Optional[datetime] = None,
        hold_ttl: Optional[timedelta] = None,
        hold_lifetime_max: Optional[timedelta] = None,
        payment_window: Optional[timedelta] = None,
        hold_seats_max: Optional[int] = None,
        holds_per_owner_max: Optional[int] = None,
    ) -> None:
        start = to_ms(clock, "clock") if clock is not None else None
        config = _config(hold_ttl, hold_lifetime_max, payment_window, hold_seats_max, holds_per_owner_max)
        self._native = self._guard(
            lambda: _native.Engine(bytes(signing_key), database_url, start, config, redis_url, schema)
        )

    def close(self) -> None:
        """Ends the engine: later calls raise StoreFailureError; a PostgreSQL pool is closed."""
        self._native.close()

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @staticmethod
    def _guard(make: Any) -> Any:
        try:
            return make()
        except _native.NativeError as e:
            code, message, details = e.args
            raise from_native(code, message, json.loads(details)) from None

    def _call(self, op: str, **args: Any) -> Any:
        try:
            out = self._native.call(op, json.dumps(args))
        except _native.NativeError as e:
            code, message, details = e.args
            raise from_native(code, message, json.loads(details)) from None
        return json.loads(out)

    # Clock

    def now(self) -> datetime:
        """Now, by the engine's clock."""
        return from_ms(int(self._guard(self._native.now_ms)))

    def advance(self, by: timedelta) -> None:
        """Moves the manual clock forward by `by`."""
        ms = duration_ms(by, "by")
        self._guard(lambda: self._native.advance_ms(ms))

    # Layouts and catalogue

    @staticmethod
    def parse_layout(text: Optional[str] = None, *, json_form: Optional[Dict[str, Any]] = None) -> Layout:
        """Parses a layout from its text form or its JSON form (InvalidLayoutError lists every problem)."""
        try:
            out = _native.parse_layout(json.dumps({"text": text, "json": json_form}))
        except _native.NativeError as e:
            code, message, details = e.args
            raise from_native(code, message, json.loads(details)) from None
        return Layout.from_json(json.loads(out))

    def create_theatre(self, name: str, city: str, time_zone: str) -> Theatre:
        """Creates a theatre; `time_zone` is an IANA name such as "Europe/Paris"."""
        return Theatre.from_json(self._call("create_theatre", name=name, city=city, time_zone=time_zone))

    def theatres(self) -> List[Theatre]:
        """Every theatre."""
        return [Theatre.from_json(t) for t in self._call("theatres")]

    def theatre(self, theatre: int) -> Theatre:
        """One theatre."""
        return Theatre.from_json(self._call("theatre", id=theatre))

    def screen(self, screen: int) -> Screen:
        """One screen, with the layout shows scheduled on it from now on take."""
        return Screen.from_json(self._call("screen", id=screen))

    def add_screen(self, theatre: int, name: str, layout: Union[str, Dict[str, Any]]) -> Screen:
        """Adds a screen with a layout in its text form (str) or its JSON form (dict)."""
        if isinstance(layout, str):
            return Screen.from_json(self._call("add_screen", theatre=theatre, name=name, layout_text=layout))
        return Screen.from_json(self._call("add_screen", theatre=theatre, name=name, layout_json=layout))

    def screens(self, theatre: int) -> List[Screen]:
        """The screens of a theatre."""
        return [Screen.from_json(s) for s in self._call("screens", id=theatre)]

    def update_theatre(self, theatre: int, name: str, city: str, time_zone: str) -> Theatre:
        """Changes a theatre's name, city and time zone; shows already scheduled keep theirs."""
        return Theatre.from_json(
            self._call("update_theatre", theatre=theatre, name=name, city=city, time_zone=time_zone)
        )

    def remove_theatre(self, theatre: int) -> None:
        """Removes a theatre; refused (InvalidInputError on `theatre`) while it has screens."""
        self._call("remove_theatre", id=theatre)

    def update_screen(self, screen: int, name: str, layout: Union[str, Dict[str, Any]]) -> Screen:
        """Renames a screen and gives it a new layout, text form (str) or JSON form (dict); shows
        already scheduled keep theirs."""
        if isinstance(layout, str):
            return Screen.from_json(self._call("update_screen", screen=screen, name=name, layout_text=layout))
        return Screen.from_json(self._call("update_screen", screen=screen, name=name, layout_json=layout))

    def remove_screen(self, screen: int) -> None:
        """Removes a screen; refused (InvalidInputError on `screen`) once a show was scheduled on it."""
        self._call("remove_screen", id=screen)

    def schedule_show(
        self,
        screen: int,
        title: str,
        starts_at: datetime,
        ends_at: datetime,
        pricing: Dict[str, Any],
        *,
        sales_open_at: Optional[datetime] = None,
        sales_close_at: Optional[datetime] = None,
        no_orphan: bool = True,
    ) -> Show:
        """Schedules a show; refused with ShowOverlapError when it overlaps another on the screen."""
        args: Dict[str, Any] = {
            "screen": screen,
            "title": title,
            "starts_at": to_ms(starts_at, "starts_at"),
            "ends_at": to_ms(ends_at, "ends_at"),
            "no_orphan": no_orphan,
            "pricing": pricing,
        }
        if sales_open_at is not None:
            args["sales_open_at"] = to_ms(sales_open_at, "sales_open_at")
        if sales_close_at is not None:
            args["sales_close_at"] = to_ms(sales_close_at, "sales_close_at")
        return Show.from_json(self._call("schedule_show", **args))

    def show(self, show: int) -> Show:
        """One show."""
        return Show.from_json(self._call("show", id=show))

    def shows(
        self,
        *,
        theatre: Optional[int] = None,
        screen: Optional[int] = None,
        starts_from: Optional[datetime] = None,
        starts_before: Optional[datetime] = None,
        include_cancelled: bool = False,
    ) -> List[Show]:
        """Shows by start time, filtered."""
        found = self._call(
            "shows",
            theatre=theatre,
            screen=screen,
            starts_from=to_ms(starts_from, "starts_from") if starts_from else None,
            starts_before=to_ms(starts_before, "starts_before") if starts_before else None,
            include_cancelled=include_cancelled,
        )
        return [Show.from_json(s) for s in found]

    def cancel_show(self, show: int) -> ShowCancellation:
        """Cancels a show: releases its holds and cancels its bookings."""
        return ShowCancellation.from_json(self._call("cancel_show", id=show))

    # Selling

    def seat_map(self, show: int) -> SeatMap:
        """Every seat of the show with its status and price now."""
        return SeatMap.from_json(self._call("seat_map", id=show))

    def quote(self, show: int, seats: Seats, promo_code: Optional[str] = None) -> Quote:
        """The price of seats now, explained line by line."""
        return Quote.from_json(self._call("quote", show=show, seats=seat_choices(seats), promo_code=promo_code))

    def best_available(
        self, show: int, count: int, *, category: Optional[str] = None, zone: Optional[str] = None, accessible: bool = False
    ) -> List[str]:
        """The labels of the best `count` free seats (centre first, together where possible)."""
        return list(
            self._call("best_available", show=show, count=count, category=category, zone=zone, accessible=accessible)
        )

    def hold(self, show: int, owner: str, seats: Seats, promo_code: Optional[str] = None) -> Hold:
        """Holds every seat or none (SeatUnavailableError lists the seats that were taken)."""
        if isinstance(seats, (list, tuple)):
            # The hot path: no JSON either way.
            try:
                labels = seats if isinstance(seats, list) else list(seats)
                return Hold.from_json(self._native.hold(show, owner, labels, promo_code))
            except _native.NativeError as e:
                code, message, details = e.args
                raise from_native(code, message, json.loads(details)) from None
        return Hold.from_json(
            self._call("hold", show=show, owner=owner, seats=seat_choices(seats), promo_code=promo_code)
        )

    def extend_hold(self, hold: int, owner: Optional[str] = None, fence: Optional[int] = None) -> Hold:
        """Extends a live hold by the hold time, never past its maximum lifetime."""
        return Hold.from_json(self._call("extend_hold", hold=hold, owner=owner, fence=fence))

    def release_hold(self, hold: int, owner: Optional[str] = None, fence: Optional[int] = None) -> Hold:
        """Releases a live hold; its seats are free at once."""
        try:
            return Hold.from_json(self._native.release_hold(hold, owner, fence))
        except _native.NativeError as e:
            code, message, details = e.args
            raise from_native(code, message, json.loads(details)) from None

    def hold_info(self, hold: int) -> Hold:
        """A hold that is live, or expired and not yet swept."""
        return Hold.from_json(self._call("hold_info", id=hold))

    # Bookings

    def create_booking(
        self, hold: int, owner: Optional[str], idempotency_key: str, fence: Optional[int] = None
    ) -> Booking:
        """Turns a live hold into a pending booking; the same key returns the first answer."""
        return Booking.from_json(
            self._call("create_booking", hold=hold, owner=owner, idempotency_key=idempotency_key, fence=fence)
        )

    def confirm_booking(self, booking: int, owner: Optional[str], payment_ref: str, idempotency_key: str) -> Confirmation:
        """Confirms a pending booking with a payment reference and issues its tickets."""
        c = self._call(
            "confirm_booking", booking=booking, owner=owner, payment_ref=payment_ref, idempotency_key=idempotency_key
        )
        return Confirmation.from_json(c)

    def cancel_booking(self, booking: int, owner: Optional[str] = None) -> Booking:
        """Cancels a pending or confirmed booking; its seats are free at once."""
        return Booking.from_json(self._call("cancel_booking", booking=booking, owner=owner))

    def refund_booking(self, booking: int, owner: Optional[str] = None) -> Booking:
        """Refunds a confirmed booking; its seats are free at once."""
        return Booking.from_json(self._call("refund_booking", booking=booking, owner=owner))

    def booking(self, booking: int, owner: Optional[str] = None) -> Booking:
        """One booking (its owner's, or any for staff: `owner=None`)."""
        return Booking.from_json(self._call("booking", booking=booking, owner=owner))

    def bookings_of(self, owner: str) -> List[Booking]:
        """An owner's bookings, newest first."""
        return [Booking.from_json(b) for b in self._call("bookings_of", owner=owner)]

    def tickets(self, booking: int, owner: Optional[str] = None) -> List[Ticket]:
        """The tickets of a confirmed booking."""
        return [Ticket.from_json(t) for t in self._call("tickets", booking=booking, owner=owner)]

    def check_in(self, code: str) -> CheckIn:
        """Scans a ticket code at the door (InvalidTicketError for a forged or unknown one)."""
        return CheckIn.from_json(self._call("check_in", code=code))

    def sweep_expired(self) -> SweepReport:
        """Tidies expired holds and overdue bookings (correctness never waits for it)."""
        return SweepReport.from_json(self._call("sweep_expired"))

    def events_since(self, show: int, after: int = 0, limit: int = 1000) -> List[Event]:
        """The show's log after sequence number `after`, in order."""
        return [Event.from_json(e) for e in self._call("events_since", show=show, after=after, limit=limit)]

    def log_head(self, show: int) -> int:
        """The sequence number of the last event of the show's log (0 while empty)."""
        return int(self._call("log_head", id=show))

    def ticket_keys(self) -> TicketKeys:
        """The public keys that verify this engine's tickets, the signing one first (a JSON Web
        Key Set): give their `x` to door scanners and apps, for `verify_ticket`."""
        return TicketKeys.from_json(self._call("ticket_keys"))

    def events_since_each(self, cursors: Mapping[int, int], limit: int = 1000) -> List[Event]:
        """The logs of several shows in one read: for each `show: after` of `cursors`, in that
        order, the show's events after `after`, at most `limit` of each."""
        return [
            Event.from_json(e)
            for e in self._call(
                "events_since_each", limit=limit, **{"from": [{"show": s, "after": a} for s, a in cursors.items()]}
            )
        ]


class AsyncEngine:
    """The same engine for asyncio: every method is awaitable and runs on a worker thread.

    `Engine`'s calls release the GIL, so awaiting many calls at once runs them side by side.
    The blocking engine is `self.engine`.
    """

    def __init__(self, signing_key: bytes, **options: Any) -> None:
        self.engine = Engine(signing_key, **options)

    @classmethod
    def wrapping(cls, engine: Engine) -> "AsyncEngine":
        """The awaitable face of an existing engine (same store, same clock)."""
        face = cls.__new__(cls)
        face.engine = engine
        return face

    async def now(self) -> datetime:
        """Now, by the engine's clock."""
        return await asyncio.to_thread(self.engine.now)

    async def advance(self, by: timedelta) -> None:
        """Moves the manual clock forward by `by`."""
        return await asyncio.to_thread(self.engine.advance, by)

    async def create_theatre(self, name: str, city: str, time_zone: str) -> Theatre:
        """Creates a theatre; `time_zone` is an IANA name such as "Europe/Paris"."""
        return await asyncio.to_thread(self.engine.create_theatre, name, city, time_zone)

    async def theatres(self) -> List[Theatre]:
        """Every theatre."""
        return await asyncio.to_thread(self.engine.theatres)

    async def theatre(self, theatre: int) -> Theatre:
        """One theatre."""
        return await asyncio.to_thread(self.engine.theatre, theatre)

    async def screen(self, screen: int) -> Screen:
        """One screen, with the layout shows scheduled on it from now on take."""
        return await asyncio.to_thread(self.engine.screen, screen)

    async def log_head(self, show: int) -> int:
        """The sequence number of the last event of the show's log (0 while empty)."""
        return await asyncio.to_thread(self.engine.log_head, show)

    async def ticket_keys(self) -> TicketKeys:
        """The public keys that verify this engine's tickets, the signing one first."""
        return self.engine.ticket_keys()

    async def add_screen(self, theatre: int, name: str, layout: Union[str, Dict[str, Any]]) -> Screen:
        """Adds a screen with a layout in its text form (str) or its JSON form (dict)."""
        return await asyncio.to_thread(self.engine.add_screen, theatre, name, layout)

    async def screens(self, theatre: int) -> List[Screen]:
        """The screens of a theatre."""
        return await asyncio.to_thread(self.engine.screens, theatre)

    async def update_theatre(self, theatre: int, name: str, city: str, time_zone: str) -> Theatre:
        """Changes a theatre's name, city and time zone; shows already scheduled keep theirs."""
        return await asyncio.to_thread(self.engine.update_theatre, theatre, name, city, time_zone)

    async def remove_theatre(self, theatre: int) -> None:
        """Removes a theatre; refused (InvalidInputError on `theatre`) while it has screens."""
        return await asyncio.to_thread(self.engine.remove_theatre, theatre)

    async def update_screen(self, screen: int, name: str, layout: Union[str, Dict[str, Any]]) -> Screen:
        """Renames a screen and gives it a new layout, text form (str) or JSON form (dict); shows
        already scheduled keep theirs."""
        return await asyncio.to_thread(self.engine.update_screen, screen, name, layout)

    async def remove_screen(self, screen: int) -> None:
        """Removes a screen; refused (InvalidInputError on `screen`) once a show was scheduled on it."""
        return await asyncio.to_thread(self.engine.remove_screen, screen)

    async def schedule_show(self, screen: int,
        title: str,
        starts_at: datetime,
        ends_at: datetime,
        pricing: Dict[str, Any],
        *,
        sales_open_at: Optional[datetime] = None,
        sales_close_at: Optional[datetime] = None,
        no_orphan: bool = True) -> Show:
        """Schedules a show; refused with ShowOverlapError when it overlaps another on the screen."""
        return await asyncio.to_thread(self.engine.schedule_show, screen, title, starts_at, ends_at, pricing, sales_open_at=sales_open_at, sales_close_at=sales_close_at, no_orphan=no_orphan)

    async def show(self, show: int) -> Show:
        """One show."""
        return await asyncio.to_thread(self.engine.show, show)

    async def shows(self, *,
        theatre: Optional[int] = None,
        screen: Optional[int] = None,
        starts_from: Optional[datetime] = None,
        starts_before: Optional[datetime] = None,
        include_cancelled: bool = False) -> List[Show]:
        """Shows by start time, filtered."""
        return await asyncio.to_thread(self.engine.shows, theatre=theatre, screen=screen, starts_from=starts_from, starts_before=starts_before, include_cancelled=include_cancelled)

    async def cancel_show(self, show: int) -> ShowCancellation:
        """Cancels a show: releases its holds and cancels its bookings."""
        return await asyncio.to_thread(self.engine.cancel_show, show)

    async def seat_map(self, show: int) -> SeatMap:
        """Every seat of the show with its status and price now."""
        return await asyncio.to_thread(self.engine.seat_map, show)

    async def quote(self, show: int, seats: Seats, promo_code: Optional[str] = None) -> Quote:
        """The price of seats now, explained line by line."""
        return await asyncio.to_thread(self.engine.quote, show, seats, promo_code)

    async def best_available(self, show: int, count: int, *, category: Optional[str] = None, zone: Optional[str] = None, accessible: bool = False) -> List[str]:
        """The labels of the best `count` free seats (centre first, together where possible)."""
        return await asyncio.to_thread(self.engine.best_available, show, count, category=category, zone=zone, accessible=accessible)

    async def hold(self, show: int, owner: str, seats: Seats, promo_code: Optional[str] = None) -> Hold:
        """Holds every seat or none (SeatUnavailableError lists the seats that were taken)."""
        return await asyncio.to_thread(self.engine.hold, show, owner, seats, promo_code)

    async def extend_hold(self, hold: int, owner: Optional[str] = None, fence: Optional[int] = None) -> Hold:
        """Extends a live hold by the hold time, never past its maximum lifetime."""
        return await asyncio.to_thread(self.engine.extend_hold, hold, owner, fence)

    async def release_hold(self, hold: int, owner: Optional[str] = None, fence: Optional[int] = None) -> Hold:
        """Releases a live hold; its seats are free at once."""
        return await asyncio.to_thread(self.engine.release_hold, hold, owner, fence)

    async def hold_info(self, hold: int) -> Hold:
        """A hold that is live, or expired and not yet swept."""
        return await asyncio.to_thread(self.engine.hold_info, hold)

    async def create_booking(self, hold: int, owner: Optional[str], idempotency_key: str, fence: Optional[int] = None) -> Booking:
        """Turns a live hold into a pending booking; the same key returns the first answer."""
        return await asyncio.to_thread(self.engine.create_booking, hold, owner, idempotency_key, fence)

    async def confirm_booking(self, booking: int, owner: Optional[str], payment_ref: str, idempotency_key: str) -> Confirmation:
        """Confirms a pending booking with a payment reference and issues its tickets."""
        return await asyncio.to_thread(self.engine.confirm_booking, booking, owner, payment_ref, idempotency_key)

    async def cancel_booking(self, booking: int, owner: Optional[str] = None) -> Booking:
        """Cancels a pending or confirmed booking; its seats are free at once."""
        return await asyncio.to_thread(self.engine.cancel_booking, booking, owner)

    async def refund_booking(self, booking: int, owner: Optional[str] = None) -> Booking:
        """Refunds a confirmed booking; its seats are free at once."""
        return await asyncio.to_thread(self.engine.refund_booking, booking, owner)

    async def booking(self, booking: int, owner: Optional[str] = None) -> Booking:
        """One booking (its owner's, or any for staff: `owner=None`)."""
        return await asyncio.to_thread(self.engine.booking, booking, owner)

    async def bookings_of(self, owner: str) -> List[Booking]:
        """An owner's bookings, newest first."""
        return await asyncio.to_thread(self.engine.bookings_of, owner)

    async def tickets(self, booking: int, owner: Optional[str] = None) -> List[Ticket]:
        """The tickets of a confirmed booking."""
        return await asyncio.to_thread(self.engine.tickets, booking, owner)

    async def check_in(self, code: str) -> CheckIn:
        """Scans a ticket code at the door (InvalidTicketError for a forged or unknown one)."""
        return await asyncio.to_thread(self.engine.check_in, code)

    async def sweep_expired(self) -> SweepReport:
        """Tidies expired holds and overdue bookings (correctness never waits for it)."""
        return await asyncio.to_thread(self.engine.sweep_expired)

    async def events_since(self, show: int, after: int = 0, limit: int = 1000) -> List[Event]:
        """The show's log after sequence number `after`, in order."""
        return await asyncio.to_thread(self.engine.events_since, show, after, limit)

    async def events_since_each(self, cursors: Mapping[int, int], limit: int = 1000) -> List[Event]:
        """The logs of several shows in one read (see `Engine.events_since_each`)."""
        return await asyncio.to_thread(self.engine.events_since_each, cursors, limit)

    async def close(self) -> None:
        """Ends the engine and its connection pool."""
        return await asyncio.to_thread(self.engine.close)


__all__: Tuple[str, ...] = ("Engine", "AsyncEngine", "simple_pricing", "BookingError")
