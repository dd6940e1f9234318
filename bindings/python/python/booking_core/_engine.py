"""The engine: `Engine` (blocking; each call releases the GIL) and `AsyncEngine` (awaitable, with
no thread per call).

Both faces run the same operations: each is described once (`_ops`: its name, its JSON arguments
and how its answer is read), and `Engine` runs it blocking while `AsyncEngine` awaits it.
"""

from __future__ import annotations

import asyncio
import functools
import json
from datetime import datetime, timedelta
from typing import Any, Callable, Dict, Generic, List, Mapping, Optional, Sequence, Tuple, TypeVar, Union

from . import _native
from ._errors import BookingError, from_native
from ._types import Layout, duration_ms, from_ms, place_choices, seat_choices, to_ms
from ._views import (
    Booking, CheckIn, Confirmation, Event, Hold, Quote, Screen, SeatMap, Show, ShowCancellation, SweepReport,
    Theatre, Ticket, TicketClaims, TicketKeys,
)

Seats = Union[Sequence[str], Mapping[str, Optional[str]]]
#: Places of general-admission zones by quantity: zone name -> how many.
Places = Mapping[str, int]
"""Seat labels, or labels mapped to a ticket type each (`None` for the default type)."""

T = TypeVar("T")


def _booking_error(e: BaseException) -> BaseException:
    """The BookingError of a NativeError; anything else as it is."""
    if isinstance(e, _native.NativeError):
        code, message, details = e.args
        return from_native(code, message, json.loads(details))
    return e


def verify_ticket(code: str, public_keys: Sequence[str]) -> TicketClaims:
    """Verifies a ticket code offline with public keys alone (each the `x` of a key of
    `Engine.ticket_keys()`, or 64 hex digits), as a door scanner does without the store or the
    secret: InvalidTicketError when it is forged, malformed or signed by a key not given."""
    try:
        out = _native.verify_ticket(json.dumps({"code": code, "public_keys": list(public_keys)}))
    except _native.NativeError as e:
        raise _booking_error(e) from None
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
    tickets_per_owner_max: Optional[int],
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
    if tickets_per_owner_max is not None:
        config["tickets_per_owner_max"] = tickets_per_owner_max
    return json.dumps(config) if config else None


def _native_engine(
    signing_key: bytes,
    connect: bool,
    database_url: Optional[str],
    redis_url: Optional[str],
    schema: Optional[str],
    clock: Optional[datetime],
    hold_ttl: Optional[timedelta],
    hold_lifetime_max: Optional[timedelta],
    payment_window: Optional[timedelta],
    hold_seats_max: Optional[int],
    holds_per_owner_max: Optional[int],
    tickets_per_owner_max: Optional[int],
) -> _native.Engine:
    """The native engine of `Engine(...)`'s options; connected (blocking, GIL released) or not yet."""
    start = to_ms(clock, "clock") if clock is not None else None
    config = _config(
        hold_ttl, hold_lifetime_max, payment_window, hold_seats_max, holds_per_owner_max, tickets_per_owner_max,
    )
    try:
        return _native.Engine(bytes(signing_key), database_url, start, config, redis_url, schema, connect)
    except _native.NativeError as e:
        raise _booking_error(e) from None


# asyncio: a native `*_async` call answers at once when it was done at its first poll (the memory
# store), else it goes on as a task on the engine's tokio runtime, and the runtime thread schedules
# `_settle` on the loop with `call_soon_threadsafe`. No thread waits for any call.

_Settle = Callable[[Optional[BaseException], Any], None]
_Start = Callable[[asyncio.AbstractEventLoop, _Settle], Any]


def _settle(future: asyncio.Future[Any], error: Optional[BaseException], value: Any) -> None:
    """Completes `future`, on its loop's thread; a waiter that was cancelled wants nothing."""
    if future.cancelled():
        return
    if error is not None:
        future.set_exception(_booking_error(error))
    else:
        future.set_result(value)


async def _awaiting(start: _Start) -> Any:
    """Awaits a native `*_async` call started by `start(loop, settle)`."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[Any] = loop.create_future()
    try:
        ready = start(loop, functools.partial(_settle, future))
    except _native.NativeError as e:
        raise _booking_error(e) from None
    if ready is not None:
        return ready
    return await future


class _Op(Generic[T]):
    """One engine operation: its name, its JSON arguments and how its decoded answer is read."""

    __slots__ = ("name", "args", "read")

    def __init__(self, name: str, args: Dict[str, Any], read: Callable[[Any], T]) -> None:
        self.name = name
        self.args = args
        self.read = read


def _each(read: Callable[[Any], T]) -> Callable[[Any], List[T]]:
    return lambda items: [read(item) for item in items]


def _nothing(_: Any) -> None:
    return None


def _layout_args(layout: Union[str, Dict[str, Any]]) -> Dict[str, Any]:
    return {"layout_text": layout} if isinstance(layout, str) else {"layout_json": layout}


class _ops:
    """The operations both engines run, by method name (see `Engine` for what each does)."""

    @staticmethod
    def create_theatre(name: str, city: str, time_zone: str) -> _Op[Theatre]:
        return _Op("create_theatre", {"name": name, "city": city, "time_zone": time_zone}, Theatre.from_json)

    @staticmethod
    def theatres() -> _Op[List[Theatre]]:
        return _Op("theatres", {}, _each(Theatre.from_json))

    @staticmethod
    def theatre(theatre: int) -> _Op[Theatre]:
        return _Op("theatre", {"id": theatre}, Theatre.from_json)

    @staticmethod
    def screen(screen: int) -> _Op[Screen]:
        return _Op("screen", {"id": screen}, Screen.from_json)

    @staticmethod
    def add_screen(theatre: int, name: str, layout: Union[str, Dict[str, Any]]) -> _Op[Screen]:
        return _Op("add_screen", {"theatre": theatre, "name": name, **_layout_args(layout)}, Screen.from_json)

    @staticmethod
    def screens(theatre: int) -> _Op[List[Screen]]:
        return _Op("screens", {"id": theatre}, _each(Screen.from_json))

    @staticmethod
    def update_theatre(theatre: int, name: str, city: str, time_zone: str) -> _Op[Theatre]:
        args = {"theatre": theatre, "name": name, "city": city, "time_zone": time_zone}
        return _Op("update_theatre", args, Theatre.from_json)

    @staticmethod
    def remove_theatre(theatre: int) -> _Op[None]:
        return _Op("remove_theatre", {"id": theatre}, _nothing)

    @staticmethod
    def update_screen(screen: int, name: str, layout: Union[str, Dict[str, Any]]) -> _Op[Screen]:
        return _Op("update_screen", {"screen": screen, "name": name, **_layout_args(layout)}, Screen.from_json)

    @staticmethod
    def remove_screen(screen: int) -> _Op[None]:
        return _Op("remove_screen", {"id": screen}, _nothing)

    @staticmethod
    def schedule_show(
        screen: int,
        title: str,
        starts_at: datetime,
        ends_at: datetime,
        pricing: Dict[str, Any],
        sales_open_at: Optional[datetime],
        sales_close_at: Optional[datetime],
        no_orphan: bool,
        tickets_per_owner_max: Optional[int],
        accessible_release_before: Optional[timedelta],
    ) -> _Op[Show]:
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
        if tickets_per_owner_max is not None:
            args["tickets_per_owner_max"] = tickets_per_owner_max
        if accessible_release_before is not None:
            args["accessible_release_before_ms"] = duration_ms(accessible_release_before, "accessible_release_before")
        return _Op("schedule_show", args, Show.from_json)

    @staticmethod
    def show(show: int) -> _Op[Show]:
        return _Op("show", {"id": show}, Show.from_json)

    @staticmethod
    def shows(
        theatre: Optional[int],
        screen: Optional[int],
        starts_from: Optional[datetime],
        starts_before: Optional[datetime],
        include_cancelled: bool,
    ) -> _Op[List[Show]]:
        args = {
            "theatre": theatre,
            "screen": screen,
            "starts_from": to_ms(starts_from, "starts_from") if starts_from else None,
            "starts_before": to_ms(starts_before, "starts_before") if starts_before else None,
            "include_cancelled": include_cancelled,
        }
        return _Op("shows", args, _each(Show.from_json))

    @staticmethod
    def cancel_show(show: int) -> _Op[ShowCancellation]:
        return _Op("cancel_show", {"id": show}, ShowCancellation.from_json)

    @staticmethod
    def seat_map(show: int) -> _Op[SeatMap]:
        return _Op("seat_map", {"id": show}, SeatMap.from_json)

    @staticmethod
    def quote(show: int, seats: Seats, promo_code: Optional[str], places: Optional[Places] = None) -> _Op[Quote]:
        args = {"show": show, "seats": seat_choices(seats), "places": place_choices(places), "promo_code": promo_code}
        return _Op("quote", args, Quote.from_json)

    @staticmethod
    def best_available(
        show: int, count: int, category: Optional[str], zone: Optional[str], accessible: bool
    ) -> _Op[List[str]]:
        args = {"show": show, "count": count, "category": category, "zone": zone, "accessible": accessible}
        return _Op("best_available", args, list)

    @staticmethod
    def hold(
        show: int, owner: str, seats: Seats, promo_code: Optional[str], accessible: bool,
        places: Optional[Places] = None,
    ) -> _Op[Hold]:
        args = {
            "show": show, "owner": owner, "seats": seat_choices(seats), "promo_code": promo_code,
            "accessible": accessible, "places": place_choices(places),
        }
        return _Op("hold", args, Hold.from_json)

    @staticmethod
    def extend_hold(hold: int, owner: Optional[str], fence: Optional[int]) -> _Op[Hold]:
        return _Op("extend_hold", {"hold": hold, "owner": owner, "fence": fence}, Hold.from_json)

    @staticmethod
    def hold_info(hold: int) -> _Op[Hold]:
        return _Op("hold_info", {"id": hold}, Hold.from_json)

    @staticmethod
    def create_booking(hold: int, owner: Optional[str], idempotency_key: str, fence: Optional[int]) -> _Op[Booking]:
        args = {"hold": hold, "owner": owner, "idempotency_key": idempotency_key, "fence": fence}
        return _Op("create_booking", args, Booking.from_json)

    @staticmethod
    def confirm_booking(booking: int, owner: Optional[str], payment_ref: str, idempotency_key: str) -> _Op[Confirmation]:
        args = {"booking": booking, "owner": owner, "payment_ref": payment_ref, "idempotency_key": idempotency_key}
        return _Op("confirm_booking", args, Confirmation.from_json)

    @staticmethod
    def cancel_booking(booking: int, owner: Optional[str]) -> _Op[Booking]:
        return _Op("cancel_booking", {"booking": booking, "owner": owner}, Booking.from_json)

    @staticmethod
    def refund_booking(booking: int, owner: Optional[str]) -> _Op[Booking]:
        return _Op("refund_booking", {"booking": booking, "owner": owner}, Booking.from_json)

    @staticmethod
    def booking(booking: int, owner: Optional[str]) -> _Op[Booking]:
        return _Op("booking", {"booking": booking, "owner": owner}, Booking.from_json)

    @staticmethod
    def bookings_of(owner: str) -> _Op[List[Booking]]:
        return _Op("bookings_of", {"owner": owner}, _each(Booking.from_json))

    @staticmethod
    def tickets(booking: int, owner: Optional[str]) -> _Op[List[Ticket]]:
        return _Op("tickets", {"booking": booking, "owner": owner}, _each(Ticket.from_json))

    @staticmethod
    def check_in(code: str) -> _Op[CheckIn]:
        return _Op("check_in", {"code": code}, CheckIn.from_json)

    @staticmethod
    def sweep_expired() -> _Op[SweepReport]:
        return _Op("sweep_expired", {}, SweepReport.from_json)

    @staticmethod
    def events_since(show: int, after: int, limit: int) -> _Op[List[Event]]:
        return _Op("events_since", {"show": show, "after": after, "limit": limit}, _each(Event.from_json))

    @staticmethod
    def log_head(show: int) -> _Op[int]:
        return _Op("log_head", {"id": show}, int)

    @staticmethod
    def ticket_keys() -> _Op[TicketKeys]:
        return _Op("ticket_keys", {}, TicketKeys.from_json)

    @staticmethod
    def events_since_each(cursors: Mapping[int, int], limit: int) -> _Op[List[Event]]:
        args = {"limit": limit, "from": [{"show": s, "after": a} for s, a in cursors.items()]}
        return _Op("events_since_each", args, _each(Event.from_json))


def _labels(seats: Seats) -> Optional[List[str]]:
    """Plain seat labels (the hot path's), or None for labels with ticket types."""
    if isinstance(seats, list):
        return seats
    if isinstance(seats, tuple):
        return list(seats)
    return None


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
        tickets_per_owner_max: Optional[int] = None,
    ) -> None:
        self._native = _native_engine(
            signing_key, True, database_url, redis_url, schema, clock,
            hold_ttl, hold_lifetime_max, payment_window, hold_seats_max, holds_per_owner_max,
            tickets_per_owner_max,
        )

    def close(self) -> None:
        """Ends the engine: later calls raise StoreFailureError; a PostgreSQL pool is closed."""
        self._native.close()

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, op: str, **args: Any) -> Any:
        """Runs operation `op` by name; answers its decoded JSON."""
        try:
            out = self._native.call(op, json.dumps(args))
        except _native.NativeError as e:
            raise _booking_error(e) from None
        return json.loads(out)

    def _run(self, op: _Op[T]) -> T:
        return op.read(self._call(op.name, **op.args))

    def _hot(self, call: Callable[[], _native.LazyView]) -> Hold:
        """A hot-path call (no JSON either way)."""
        try:
            return Hold.from_json(call())
        except _native.NativeError as e:
            raise _booking_error(e) from None

    # Clock

    def now(self) -> datetime:
        """Now, by the engine's clock."""
        try:
            return from_ms(self._native.now_ms())
        except _native.NativeError as e:
            raise _booking_error(e) from None

    def advance(self, by: timedelta) -> None:
        """Moves the manual clock forward by `by`."""
        ms = duration_ms(by, "by")
        try:
            self._native.advance_ms(ms)
        except _native.NativeError as e:
            raise _booking_error(e) from None

    # Layouts and catalogue

    @staticmethod
    def parse_layout(text: Optional[str] = None, *, json_form: Optional[Dict[str, Any]] = None) -> Layout:
        """Parses a layout from its text form or its JSON form (InvalidLayoutError lists every problem)."""
        try:
            out = _native.parse_layout(json.dumps({"text": text, "json": json_form}))
        except _native.NativeError as e:
            raise _booking_error(e) from None
        return Layout.from_json(json.loads(out))

    def create_theatre(self, name: str, city: str, time_zone: str) -> Theatre:
        """Creates a theatre; `time_zone` is an IANA name such as "Europe/Paris"."""
        return self._run(_ops.create_theatre(name, city, time_zone))

    def theatres(self) -> List[Theatre]:
        """Every theatre."""
        return self._run(_ops.theatres())

    def theatre(self, theatre: int) -> Theatre:
        """One theatre."""
        return self._run(_ops.theatre(theatre))

    def screen(self, screen: int) -> Screen:
        """One screen, with the layout shows scheduled on it from now on take."""
        return self._run(_ops.screen(screen))

    def add_screen(self, theatre: int, name: str, layout: Union[str, Dict[str, Any]]) -> Screen:
        """Adds a screen with a layout in its text form (str) or its JSON form (dict)."""
        return self._run(_ops.add_screen(theatre, name, layout))

    def screens(self, theatre: int) -> List[Screen]:
        """The screens of a theatre."""
        return self._run(_ops.screens(theatre))

    def update_theatre(self, theatre: int, name: str, city: str, time_zone: str) -> Theatre:
        """Changes a theatre's name, city and time zone; shows already scheduled keep theirs."""
        return self._run(_ops.update_theatre(theatre, name, city, time_zone))

    def remove_theatre(self, theatre: int) -> None:
        """Removes a theatre; refused (InvalidInputError on `theatre`) while it has screens."""
        self._run(_ops.remove_theatre(theatre))

    def update_screen(self, screen: int, name: str, layout: Union[str, Dict[str, Any]]) -> Screen:
        """Renames a screen and gives it a new layout, text form (str) or JSON form (dict); shows
        already scheduled keep theirs."""
        return self._run(_ops.update_screen(screen, name, layout))

    def remove_screen(self, screen: int) -> None:
        """Removes a screen; refused (InvalidInputError on `screen`) once a show was scheduled on it."""
        self._run(_ops.remove_screen(screen))

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
        tickets_per_owner_max: Optional[int] = None,
        accessible_release_before: Optional[timedelta] = None,
    ) -> Show:
        """Schedules a show; refused with ShowOverlapError when it overlaps another on the screen.

        `tickets_per_owner_max` caps the tickets one owner may have on the show, held, pending and
        paid together (default: the engine's `tickets_per_owner_max`, or no cap).
        `accessible_release_before` is how long before the start unsold wheelchair places and
        companion seats go to general sale (default 48 hours).
        """
        return self._run(
            _ops.schedule_show(
                screen, title, starts_at, ends_at, pricing, sales_open_at, sales_close_at, no_orphan,
                tickets_per_owner_max, accessible_release_before,
            )
        )

    def show(self, show: int) -> Show:
        """One show."""
        return self._run(_ops.show(show))

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
        return self._run(_ops.shows(theatre, screen, starts_from, starts_before, include_cancelled))

    def cancel_show(self, show: int) -> ShowCancellation:
        """Cancels a show: releases its holds and cancels its bookings."""
        return self._run(_ops.cancel_show(show))

    # Selling

    def seat_map(self, show: int) -> SeatMap:
        """Every seat of the show with its status and price now."""
        return self._run(_ops.seat_map(show))

    def quote(
        self, show: int, seats: Seats, promo_code: Optional[str] = None, *, places: Optional[Places] = None
    ) -> Quote:
        """The price of seats and general-admission places now, explained line by line (a place's
        line names its zone)."""
        return self._run(_ops.quote(show, seats, promo_code, places))

    def best_available(
        self, show: int, count: int, *, category: Optional[str] = None, zone: Optional[str] = None, accessible: bool = False
    ) -> List[str]:
        """The labels of the best `count` free seats (centre first, together where possible)."""
        return self._run(_ops.best_available(show, count, category, zone, accessible))

    def hold(
        self, show: int, owner: str, seats: Seats, promo_code: Optional[str] = None, *, accessible: bool = False,
        places: Optional[Places] = None,
    ) -> Hold:
        """Holds every seat or none (SeatUnavailableError lists the seats that were taken).

        `accessible`: the buyer asks for an accessible place; until the show's `accessible_until`
        only such a buyer may hold wheelchair places and companion seats.
        `places`: places of general-admission zones by quantity, e.g. `{"Standing": 2}`, which the
        store picks beside the seats; a zone with too few free places is named in
        SeatUnavailableError.seats.
        """
        labels = _labels(seats)
        if labels is not None and not accessible and not places:
            return self._hot(lambda: self._native.hold(show, owner, labels, promo_code))
        return self._run(_ops.hold(show, owner, seats, promo_code, accessible, places))

    def extend_hold(self, hold: int, owner: Optional[str] = None, fence: Optional[int] = None) -> Hold:
        """Extends a live hold by the hold time, never past its maximum lifetime."""
        return self._run(_ops.extend_hold(hold, owner, fence))

    def release_hold(self, hold: int, owner: Optional[str] = None, fence: Optional[int] = None) -> Hold:
        """Releases a live hold; its seats are free at once."""
        return self._hot(lambda: self._native.release_hold(hold, owner, fence))

    def hold_info(self, hold: int) -> Hold:
        """A hold that is live, or expired and not yet swept."""
        return self._run(_ops.hold_info(hold))

    # Bookings

    def create_booking(
        self, hold: int, owner: Optional[str], idempotency_key: str, fence: Optional[int] = None
    ) -> Booking:
        """Turns a live hold into a pending booking; the same key returns the first answer."""
        return self._run(_ops.create_booking(hold, owner, idempotency_key, fence))

    def confirm_booking(self, booking: int, owner: Optional[str], payment_ref: str, idempotency_key: str) -> Confirmation:
        """Confirms a pending booking with a payment reference and issues its tickets."""
        return self._run(_ops.confirm_booking(booking, owner, payment_ref, idempotency_key))

    def cancel_booking(self, booking: int, owner: Optional[str] = None) -> Booking:
        """Cancels a pending or confirmed booking; its seats are free at once."""
        return self._run(_ops.cancel_booking(booking, owner))

    def refund_booking(self, booking: int, owner: Optional[str] = None) -> Booking:
        """Refunds a confirmed booking; its seats are free at once."""
        return self._run(_ops.refund_booking(booking, owner))

    def booking(self, booking: int, owner: Optional[str] = None) -> Booking:
        """One booking (its owner's, or any for staff: `owner=None`)."""
        return self._run(_ops.booking(booking, owner))

    def bookings_of(self, owner: str) -> List[Booking]:
        """An owner's bookings, newest first."""
        return self._run(_ops.bookings_of(owner))

    def tickets(self, booking: int, owner: Optional[str] = None) -> List[Ticket]:
        """The tickets of a confirmed booking."""
        return self._run(_ops.tickets(booking, owner))

    def check_in(self, code: str) -> CheckIn:
        """Scans a ticket code at the door (InvalidTicketError for a forged or unknown one)."""
        return self._run(_ops.check_in(code))

    def sweep_expired(self) -> SweepReport:
        """Tidies expired holds and overdue bookings (correctness never waits for it)."""
        return self._run(_ops.sweep_expired())

    def events_since(self, show: int, after: int = 0, limit: int = 1000) -> List[Event]:
        """The show's log after sequence number `after`, in order."""
        return self._run(_ops.events_since(show, after, limit))

    def log_head(self, show: int) -> int:
        """The sequence number of the last event of the show's log (0 while empty)."""
        return self._run(_ops.log_head(show))

    def ticket_keys(self) -> TicketKeys:
        """The public keys that verify this engine's tickets, the signing one first (a JSON Web
        Key Set): give their `x` to door scanners and apps, for `verify_ticket`."""
        return self._run(_ops.ticket_keys())

    def events_since_each(self, cursors: Mapping[int, int], limit: int = 1000) -> List[Event]:
        """The logs of several shows in one read: for each `show: after` of `cursors`, in that
        order, the show's events after `after`, at most `limit` of each."""
        return self._run(_ops.events_since_each(cursors, limit))


class AsyncEngine:
    """The same engine for asyncio: every method is awaitable, and none stalls the event loop.

    Open one with `engine = await AsyncEngine.open(signing_key, ...)` (the same options as
    `Engine`): connecting and migrating happen on the engine's own runtime while the loop runs on.
    A call the memory store answers at once is answered without leaving the loop's thread; a call
    that waits (PostgreSQL, Redis) runs on the engine's tokio runtime and completes its future
    through `loop.call_soon_threadsafe`, holding no thread while it waits, so thousands may be in
    flight at once (the default executor's thread count caps nothing). A cancelled call may still
    take effect, as a request already sent to a server may.

    `AsyncEngine(signing_key, ...)` also works and connects at once, blocking the caller meanwhile.
    The blocking engine is `self.engine`.
    """

    engine: Engine

    def __init__(self, signing_key: bytes, **options: Any) -> None:
        self.engine = Engine(signing_key, **options)

    @classmethod
    async def open(
        cls,
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
        tickets_per_owner_max: Optional[int] = None,
    ) -> "AsyncEngine":
        """Opens an engine (see `Engine` for the options) without stalling the event loop: on
        PostgreSQL it connects and migrates on the engine's runtime while the loop runs on."""
        engine = Engine.__new__(Engine)
        engine._native = _native_engine(
            signing_key, False, database_url, redis_url, schema, clock,
            hold_ttl, hold_lifetime_max, payment_window, hold_seats_max, holds_per_owner_max,
            tickets_per_owner_max,
        )
        native = engine._native
        await _awaiting(lambda loop, settle: native.connect_async(loop, settle))
        return cls.wrapping(engine)

    @classmethod
    def wrapping(cls, engine: Engine) -> "AsyncEngine":
        """The awaitable face of an existing engine (same store, same clock)."""
        face = cls.__new__(cls)
        face.engine = engine
        return face

    async def __aenter__(self) -> "AsyncEngine":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def _run(self, op: _Op[T]) -> T:
        native = self.engine._native
        args = json.dumps(op.args)
        out = await _awaiting(lambda loop, settle: native.call_async(op.name, args, loop, settle))
        return op.read(json.loads(out))

    async def now(self) -> datetime:
        """Now, by the engine's clock."""
        return self.engine.now()

    async def advance(self, by: timedelta) -> None:
        """Moves the manual clock forward by `by`."""
        self.engine.advance(by)

    async def create_theatre(self, name: str, city: str, time_zone: str) -> Theatre:
        """Creates a theatre; `time_zone` is an IANA name such as "Europe/Paris"."""
        return await self._run(_ops.create_theatre(name, city, time_zone))

    async def theatres(self) -> List[Theatre]:
        """Every theatre."""
        return await self._run(_ops.theatres())

    async def theatre(self, theatre: int) -> Theatre:
        """One theatre."""
        return await self._run(_ops.theatre(theatre))

    async def screen(self, screen: int) -> Screen:
        """One screen, with the layout shows scheduled on it from now on take."""
        return await self._run(_ops.screen(screen))

    async def log_head(self, show: int) -> int:
        """The sequence number of the last event of the show's log (0 while empty)."""
        return await self._run(_ops.log_head(show))

    async def ticket_keys(self) -> TicketKeys:
        """The public keys that verify this engine's tickets, the signing one first."""
        return await self._run(_ops.ticket_keys())

    async def add_screen(self, theatre: int, name: str, layout: Union[str, Dict[str, Any]]) -> Screen:
        """Adds a screen with a layout in its text form (str) or its JSON form (dict)."""
        return await self._run(_ops.add_screen(theatre, name, layout))

    async def screens(self, theatre: int) -> List[Screen]:
        """The screens of a theatre."""
        return await self._run(_ops.screens(theatre))

    async def update_theatre(self, theatre: int, name: str, city: str, time_zone: str) -> Theatre:
        """Changes a theatre's name, city and time zone; shows already scheduled keep theirs."""
        return await self._run(_ops.update_theatre(theatre, name, city, time_zone))

    async def remove_theatre(self, theatre: int) -> None:
        """Removes a theatre; refused (InvalidInputError on `theatre`) while it has screens."""
        await self._run(_ops.remove_theatre(theatre))

    async def update_screen(self, screen: int, name: str, layout: Union[str, Dict[str, Any]]) -> Screen:
        """Renames a screen and gives it a new layout, text form (str) or JSON form (dict); shows
        already scheduled keep theirs."""
        return await self._run(_ops.update_screen(screen, name, layout))

    async def remove_screen(self, screen: int) -> None:
        """Removes a screen; refused (InvalidInputError on `screen`) once a show was scheduled on it."""
        await self._run(_ops.remove_screen(screen))

    async def schedule_show(
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
        tickets_per_owner_max: Optional[int] = None,
        accessible_release_before: Optional[timedelta] = None,
    ) -> Show:
        """Schedules a show; refused with ShowOverlapError when it overlaps another on the screen.

        `tickets_per_owner_max` caps the tickets one owner may have on the show, held, pending and
        paid together (default: the engine's `tickets_per_owner_max`, or no cap).
        `accessible_release_before` is how long before the start unsold wheelchair places and
        companion seats go to general sale (default 48 hours).
        """
        return await self._run(
            _ops.schedule_show(
                screen, title, starts_at, ends_at, pricing, sales_open_at, sales_close_at, no_orphan,
                tickets_per_owner_max, accessible_release_before,
            )
        )

    async def show(self, show: int) -> Show:
        """One show."""
        return await self._run(_ops.show(show))

    async def shows(
        self,
        *,
        theatre: Optional[int] = None,
        screen: Optional[int] = None,
        starts_from: Optional[datetime] = None,
        starts_before: Optional[datetime] = None,
        include_cancelled: bool = False,
    ) -> List[Show]:
        """Shows by start time, filtered."""
        return await self._run(_ops.shows(theatre, screen, starts_from, starts_before, include_cancelled))

    async def cancel_show(self, show: int) -> ShowCancellation:
        """Cancels a show: releases its holds and cancels its bookings."""
        return await self._run(_ops.cancel_show(show))

    async def seat_map(self, show: int) -> SeatMap:
        """Every seat of the show with its status and price now."""
        return await self._run(_ops.seat_map(show))

    async def quote(
        self, show: int, seats: Seats, promo_code: Optional[str] = None, *, places: Optional[Places] = None
    ) -> Quote:
        """The price of seats and general-admission places now, as for `Engine.quote`."""
        return await self._run(_ops.quote(show, seats, promo_code, places))

    async def best_available(
        self, show: int, count: int, *, category: Optional[str] = None, zone: Optional[str] = None, accessible: bool = False
    ) -> List[str]:
        """The labels of the best `count` free seats (centre first, together where possible)."""
        return await self._run(_ops.best_available(show, count, category, zone, accessible))

    async def hold(
        self, show: int, owner: str, seats: Seats, promo_code: Optional[str] = None, *, accessible: bool = False,
        places: Optional[Places] = None,
    ) -> Hold:
        """Holds every seat or none (SeatUnavailableError lists the seats that were taken);
        `accessible` and `places` as for `Engine.hold`."""
        labels = _labels(seats)
        if labels is None or accessible or places:
            return await self._run(_ops.hold(show, owner, seats, promo_code, accessible, places))
        native = self.engine._native
        view = await _awaiting(lambda loop, settle: native.hold_async(show, owner, labels, promo_code, loop, settle))
        return Hold.from_json(view)

    async def extend_hold(self, hold: int, owner: Optional[str] = None, fence: Optional[int] = None) -> Hold:
        """Extends a live hold by the hold time, never past its maximum lifetime."""
        return await self._run(_ops.extend_hold(hold, owner, fence))

    async def release_hold(self, hold: int, owner: Optional[str] = None, fence: Optional[int] = None) -> Hold:
        """Releases a live hold; its seats are free at once."""
        native = self.engine._native
        view = await _awaiting(lambda loop, settle: native.release_hold_async(hold, owner, fence, loop, settle))
        return Hold.from_json(view)

    async def hold_info(self, hold: int) -> Hold:
        """A hold that is live, or expired and not yet swept."""
        return await self._run(_ops.hold_info(hold))

    async def create_booking(
        self, hold: int, owner: Optional[str], idempotency_key: str, fence: Optional[int] = None
    ) -> Booking:
        """Turns a live hold into a pending booking; the same key returns the first answer."""
        return await self._run(_ops.create_booking(hold, owner, idempotency_key, fence))

    async def confirm_booking(
        self, booking: int, owner: Optional[str], payment_ref: str, idempotency_key: str
    ) -> Confirmation:
        """Confirms a pending booking with a payment reference and issues its tickets."""
        return await self._run(_ops.confirm_booking(booking, owner, payment_ref, idempotency_key))

    async def cancel_booking(self, booking: int, owner: Optional[str] = None) -> Booking:
        """Cancels a pending or confirmed booking; its seats are free at once."""
        return await self._run(_ops.cancel_booking(booking, owner))

    async def refund_booking(self, booking: int, owner: Optional[str] = None) -> Booking:
        """Refunds a confirmed booking; its seats are free at once."""
        return await self._run(_ops.refund_booking(booking, owner))

    async def booking(self, booking: int, owner: Optional[str] = None) -> Booking:
        """One booking (its owner's, or any for staff: `owner=None`)."""
        return await self._run(_ops.booking(booking, owner))

    async def bookings_of(self, owner: str) -> List[Booking]:
        """An owner's bookings, newest first."""
        return await self._run(_ops.bookings_of(owner))

    async def tickets(self, booking: int, owner: Optional[str] = None) -> List[Ticket]:
        """The tickets of a confirmed booking."""
        return await self._run(_ops.tickets(booking, owner))

    async def check_in(self, code: str) -> CheckIn:
        """Scans a ticket code at the door (InvalidTicketError for a forged or unknown one)."""
        return await self._run(_ops.check_in(code))

    async def sweep_expired(self) -> SweepReport:
        """Tidies expired holds and overdue bookings (correctness never waits for it)."""
        return await self._run(_ops.sweep_expired())

    async def events_since(self, show: int, after: int = 0, limit: int = 1000) -> List[Event]:
        """The show's log after sequence number `after`, in order."""
        return await self._run(_ops.events_since(show, after, limit))

    async def events_since_each(self, cursors: Mapping[int, int], limit: int = 1000) -> List[Event]:
        """The logs of several shows in one read (see `Engine.events_since_each`)."""
        return await self._run(_ops.events_since_each(cursors, limit))

    async def close(self) -> None:
        """Ends the engine and its connection pool, without stalling the event loop."""
        native = self.engine._native
        await _awaiting(lambda loop, settle: native.close_async(loop, settle))


__all__: Tuple[str, ...] = ("Engine", "AsyncEngine", "simple_pricing", "BookingError")
