"""Values the engine gives back: frozen dataclasses with equality and a readable repr.

Times are timezone-aware `datetime`s in UTC, durations `timedelta`s, money `Money` (exact integer
minor units and a currency; `.amount` as a `Decimal`). Ids are plain ints.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_NEVER = 2**63 - 1


def to_ms(t: datetime, field: str = "time") -> int:
    """Milliseconds since the Unix epoch of an aware datetime (naive ones are refused)."""
    from ._errors import InvalidInputError

    if not isinstance(t, datetime):
        raise InvalidInputError(f"invalid {field}: must be a datetime", {"field": field, "reason": "must be a datetime"})
    if t.tzinfo is None or t.utcoffset() is None:
        raise InvalidInputError(
            f"invalid {field}: must be timezone-aware", {"field": field, "reason": "must be timezone-aware"}
        )
    delta = t - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def from_ms(ms: int) -> datetime:
    """The aware UTC datetime of milliseconds since the Unix epoch (the far future for 'never')."""
    if ms >= _NEVER:
        return datetime.max.replace(tzinfo=timezone.utc)
    return _EPOCH + timedelta(milliseconds=ms)


def duration_ms(d: timedelta, field: str) -> int:
    """Whole milliseconds of a duration."""
    from ._errors import InvalidInputError

    if not isinstance(d, timedelta):
        raise InvalidInputError(f"invalid {field}: must be a timedelta", {"field": field, "reason": "must be a timedelta"})
    return (d.days * 86_400 + d.seconds) * 1000 + d.microseconds // 1000


@dataclass(frozen=True)
class Money:
    """An exact amount: integer minor units (cents) of a currency."""

    minor: int
    currency: str

    @property
    def amount(self) -> Decimal:
        """The amount in major units, exactly (for 2-decimal currencies)."""
        return Decimal(self.minor).scaleb(-2)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"

    @staticmethod
    def from_json(j: Dict[str, Any]) -> "Money":
        return Money(int(j["minor"]), str(j["currency"]))


@dataclass(frozen=True)
class Theatre:
    """A venue."""

    id: int
    name: str
    city: str
    time_zone: str

    @staticmethod
    def from_json(j: Dict[str, Any]) -> "Theatre":
        return Theatre(j["id"], j["name"], j["city"], j["time_zone"])


@dataclass(frozen=True)
class LayoutSeat:
    """One place of a layout."""

    label: str
    x: int
    y: int
    category: str
    wheelchair: bool
    companion: bool
    blocked: bool
    pair: Optional[int]


@dataclass(frozen=True)
class Layout:
    """A compiled seat layout: its seats, its JSON form and (when it has one) its text form."""

    seats: Tuple[LayoutSeat, ...]
    spec: Dict[str, Any]
    text: Optional[str]

    @property
    def seat_count(self) -> int:
        return len(self.seats)

    @staticmethod
    def from_json(j: Dict[str, Any]) -> "Layout":
        seats = tuple(
            LayoutSeat(s["label"], s["x"], s["y"], s["category"] or "", s["wheelchair"], s["companion"], s["blocked"], s["pair"])
            for s in j["seats"]
        )
        return Layout(seats, j["spec"], j.get("text"))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Layout) and self.spec == other.spec

    def __hash__(self) -> int:
        return hash(self.seats)


@dataclass(frozen=True)
class Screen:
    """A screen of a theatre, with its layout."""

    id: int
    theatre: int
    name: str
    layout: Layout

    @staticmethod
    def from_json(j: Dict[str, Any]) -> "Screen":
        return Screen(j["id"], j["theatre"], j["name"], Layout.from_json(j["layout"]))


@dataclass(frozen=True)
class Show:
    """A scheduled show."""

    id: int
    screen: int
    theatre: int
    title: str
    starts_at: datetime
    ends_at: datetime
    sales_open_at: datetime
    sales_close_at: datetime
    status: str
    no_orphan: bool
    time_zone: str

    @staticmethod
    def from_json(j: Dict[str, Any]) -> "Show":
        return Show(
            j["id"], j["screen"], j["theatre"], j["title"], from_ms(j["starts_at"]), from_ms(j["ends_at"]),
            from_ms(j["sales_open_at"]), from_ms(j["sales_close_at"]), j["status"], j["no_orphan"], j["time_zone"],
        )


@dataclass(frozen=True)
class SeatView:
    """A seat on the seat map now: where, what, and whether it can be had, at what price."""

    label: str
    x: int
    y: int
    category: str
    status: str
    price: Optional[Money]
    wheelchair: bool
    companion: bool
    blocked: bool

    @staticmethod
    def from_json(j: Dict[str, Any]) -> "SeatView":
        f = j["flags"]
        price = Money.from_json(j["price"]) if j.get("price") else None
        return SeatView(j["label"], j["x"], j["y"], j["category"], j["status"], price, f["wheelchair"], f["companion"], f["blocked"])


@dataclass(frozen=True)
class SeatMap:
    """Every seat of a show with its status and price."""

    show: int
    at: datetime
    seats: Tuple[SeatView, ...]
    available: int

    @staticmethod
    def from_json(j: Dict[str, Any]) -> "SeatMap":
        return SeatMap(j["show"], from_ms(j["at"]), tuple(SeatView.from_json(s) for s in j["seats"]), j["available"])


@dataclass(frozen=True)
class Adjustment:
    """A named change to a seat price (negative for a discount)."""

    rule: str
    amount: Money


@dataclass(frozen=True)
class QuoteLine:
    """One seat of a quote: base price, every adjustment by name, fee, tax, total."""

    seat: str
    ticket_type: str
    base: Money
    adjustments: Tuple[Adjustment, ...]
    fee: Money
    tax: Money
    total: Money


@dataclass(frozen=True)
class Quote:
    """The price of a set of seats, explained line by line; the lines add up to the totals."""

    currency: str
    lines: Tuple[QuoteLine, ...]
    subtotal: Money
    fees: Money
    tax: Money
    total: Money
    tax_rate_bp: int
    tax_mode: str
    promo_code: Optional[str]

    @staticmethod
    def from_json(j: Dict[str, Any]) -> "Quote":
        cur = str(j["currency"])

        def m(minor: Any) -> Money:
            return Money(int(minor), cur)

        lines = tuple(
            QuoteLine(
                l["seat"], l["ticket_type"], m(l["base_minor"]),
                tuple(Adjustment(a["rule"], m(a["amount_minor"])) for a in l["adjustments"]),
                m(l["fee_minor"]), m(l["tax_minor"]), m(l["total_minor"]),
            )
            for l in j["lines"]
        )
        return Quote(
            cur, lines, Money.from_json(j["subtotal"]), Money.from_json(j["fees"]), Money.from_json(j["tax"]),
            Money.from_json(j["total"]), j["tax_rate_bp"], j["tax_mode"], j.get("promo_code"),
        )


@dataclass(frozen=True, repr=False)
class Hold:
    """A time-limited lease on seats of one show (seats are indices into the layout).

    Its times are computed when read (`placed_at`, `expires_at`, `max_expires_at`) and its
    `quote` is decoded on first use: a rush places and releases holds far more often than anyone
    reads them in full. Two holds are equal when everything but the quote (fixed by the id) is.
    """

    id: int
    show: int
    owner: str
    seats: Tuple[int, ...]
    placed_ms: int
    expires_ms: int
    max_expires_ms: int
    fence: int
    quote_source: Any = field(compare=False)

    @property
    def placed_at(self) -> datetime:
        """When it was placed."""
        return from_ms(self.placed_ms)

    @property
    def expires_at(self) -> datetime:
        """When it expires unless extended."""
        return from_ms(self.expires_ms)

    @property
    def max_expires_at(self) -> datetime:
        """Extensions never go past this instant."""
        return from_ms(self.max_expires_ms)

    @property
    def quote(self) -> Quote:
        """The price fixed when the hold was placed."""
        return _quote_of(self, self.quote_source)

    def __repr__(self) -> str:
        return (
            f"Hold(id={self.id}, show={self.show}, owner={self.owner!r}, seats={self.seats}, "
            f"expires_at={self.expires_at.isoformat()}, fence={self.fence})"
        )

    @staticmethod
    def from_json(j: Dict[str, Any]) -> "Hold":
        return Hold(
            j["id"], j["show"], j["owner"], tuple(j["seats"]), j["placed_at"], j["expires_at"],
            j["max_expires_at"], j["fence"], j["quote"],
        )

    @staticmethod
    def from_native(t: Tuple[Any, ...]) -> "Hold":
        """From the native hot path's tuple (see `_native.Engine.hold`)."""
        return Hold(*t)

    def __hash__(self) -> int:
        return hash((self.id, self.fence))


@dataclass(frozen=True)
class Booking:
    """A booking made from a hold: pending until paid, then confirmed, then checked in.

    `quote` (the price fixed when its hold was placed) is decoded on first use.
    """

    id: int
    show: int
    owner: str
    hold: int
    seats: Tuple[int, ...]
    status: str
    created_at: datetime
    payment_deadline: datetime
    payment_ref: Optional[str]
    updated_at: datetime
    checked_in: Tuple[int, ...]
    quote_source: Dict[str, Any] = field(repr=False, compare=False)

    @property
    def quote(self) -> Quote:
        """The price of the booking."""
        return _quote_of(self, self.quote_source)

    @staticmethod
    def from_json(j: Dict[str, Any]) -> "Booking":
        return Booking(
            j["id"], j["show"], j["owner"], j["hold"], tuple(j["seats"]), j["status"], from_ms(j["created_at"]),
            from_ms(j["payment_deadline"]), j.get("payment_ref"), from_ms(j["updated_at"]), tuple(j["checked_in"]),
            j["quote"],
        )

    def __hash__(self) -> int:
        return hash((self.id, self.status, self.updated_at))


def _quote_of(owner: object, source: Any) -> Quote:
    """The decoded quote of a hold or booking (its JSON, or a native quote), decoded once and kept
    on the (frozen) value."""
    cached = owner.__dict__.get("_quote")
    if not isinstance(cached, Quote):
        cached = Quote.from_json(source if isinstance(source, dict) else json.loads(source.json()))
        object.__setattr__(owner, "_quote", cached)
    return cached


@dataclass(frozen=True)
class Ticket:
    """One seat of a confirmed booking, with a code that can be verified offline."""

    booking: int
    show: int
    seat: int
    label: str
    code: str
    checked_in: bool

    @staticmethod
    def from_json(j: Dict[str, Any]) -> "Ticket":
        return Ticket(j["booking"], j["show"], j["seat"], j["label"], j["code"], j["checked_in"])


@dataclass(frozen=True)
class Confirmation:
    """A confirmed booking and its tickets, one per seat."""

    booking: Booking
    tickets: Tuple[Ticket, ...]


@dataclass(frozen=True)
class CheckIn:
    """A ticket scanned at the door, and its booking after the scan."""

    ticket: Ticket
    booking: Booking


@dataclass(frozen=True)
class SweepReport:
    """What a sweep tidied up."""

    holds_expired: int
    bookings_expired: int


@dataclass(frozen=True)
class Event:
    """One entry of a show's log: `kind` is the event's name, `data` its fields."""

    show: int
    seq: int
    at: datetime
    kind: str
    data: Dict[str, Any]

    @staticmethod
    def from_json(j: Dict[str, Any]) -> "Event":
        data = dict(j["kind"])
        kind = str(data.pop("type"))
        return Event(j["show"], j["seq"], from_ms(j["at"]), kind, data)

    def __hash__(self) -> int:
        return hash((self.show, self.seq))


@dataclass(frozen=True)
class ShowCancellation:
    """What cancelling a show released: holds, and bookings whose owners should be told."""

    holds: Tuple[int, ...]
    bookings: Tuple[int, ...]


def seat_choices(seats: Union[Sequence[str], Mapping[str, Optional[str]]]) -> List[Dict[str, Any]]:
    """Seat labels, or labels with a ticket type each, as the engine takes them."""
    if isinstance(seats, Mapping):
        return [{"label": label, "ticket_type": tt} for label, tt in seats.items()]
    if isinstance(seats, str):
        from ._errors import InvalidInputError

        raise InvalidInputError("invalid seats: give a list of labels, not one string", {"field": "seats", "reason": "must be a list of labels"})
    return [{"label": label} for label in seats]
