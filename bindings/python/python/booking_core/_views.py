"""The views every front hands out (booking-front's one front model), as frozen dataclasses.

Generated from the views' schemas by `front/tests/python_views.rs`; do not edit by hand
(`BOOKING_BLESS=1 cargo test -p booking-front --test python_views` writes it again). Times are
timezone-aware `datetime`s in UTC; money is exact integer minor units with its currency's
exponent; ids are ints; seats are labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Dict, Literal, Mapping, Optional, Tuple, cast


def _instant(text: Any) -> datetime:
    """An RFC 3339 instant with its offset (`2026-11-27T21:00:00.000Z`) as an aware datetime."""
    return datetime.fromisoformat(str(text).replace("Z", "+00:00")).astimezone(timezone.utc)


@dataclass(frozen=True)
class Booking:
    """A booking of the seats of one hold."""

    id: int
    """Booking id."""
    show: int
    """The show."""
    title: str
    """What plays."""
    starts_at: datetime
    """When the show starts."""
    time_zone: str
    """The theatre's IANA time zone, to show times as the audience reads them."""
    owner: str
    """Who booked."""
    hold: int
    """The hold it was made from."""
    seats: Tuple[str, ...]
    """Seat labels (one ticket each once confirmed)."""
    status: BookingStatus
    """The status at the instant the view was made: a pending booking past its deadline reads `expired`, swept or not."""
    total: Money
    """What the customer pays."""
    quote: Quote
    """The price, fixed when the hold was placed."""
    created_at: datetime
    """When it was created."""
    payment_deadline: datetime
    """A pending booking must be paid before this instant."""
    payment_ref: Optional[str]
    """The payment's reference, once paid."""
    updated_at: datetime
    """When its status last changed."""
    checked_in: Tuple[str, ...]
    """Labels of the seats whose tickets were checked in."""

    @staticmethod
    def from_json(j: Mapping[str, Any]) -> Booking:
        """The view from its JSON form."""
        return Booking(
            id=int(j["id"]),
            show=int(j["show"]),
            title=str(j["title"]),
            starts_at=_instant(j["starts_at"]),
            time_zone=str(j["time_zone"]),
            owner=str(j["owner"]),
            hold=int(j["hold"]),
            seats=tuple(str(x) for x in j["seats"]),
            status=cast(BookingStatus, str(j["status"])),
            total=Money.from_json(j["total"]),
            quote=Quote.from_json(j["quote"]),
            created_at=_instant(j["created_at"]),
            payment_deadline=_instant(j["payment_deadline"]),
            payment_ref=None if j.get("payment_ref") is None else str(j["payment_ref"]),
            updated_at=_instant(j["updated_at"]),
            checked_in=tuple(str(x) for x in j["checked_in"]),
        )


BookingStatus = Literal["pending", "confirmed", "checked_in", "expired", "cancelled", "refunded"]
"""Where a booking stands."""


@dataclass(frozen=True)
class Category:
    """A price category of a seat map, with its current price."""

    name: str
    """Name."""
    price: Optional[int]
    """Price of one default ticket now, in minor units of the map's currency."""

    @staticmethod
    def from_json(j: Mapping[str, Any]) -> Category:
        """The view from its JSON form."""
        return Category(
            name=str(j["name"]),
            price=None if j.get("price") is None else int(j["price"]),
        )


@dataclass(frozen=True)
class CheckIn:
    """A ticket just checked in at the door, with its booking."""

    ticket: Ticket
    """The ticket."""
    booking: Booking
    """Its booking after the check-in."""

    @staticmethod
    def from_json(j: Mapping[str, Any]) -> CheckIn:
        """The view from its JSON form."""
        return CheckIn(
            ticket=Ticket.from_json(j["ticket"]),
            booking=Booking.from_json(j["booking"]),
        )


@dataclass(frozen=True)
class Confirmation:
    """A booking just paid, with its tickets."""

    booking: Booking
    """The booking, now confirmed."""
    tickets: Tuple[Ticket, ...]
    """One ticket per seat."""

    @staticmethod
    def from_json(j: Mapping[str, Any]) -> Confirmation:
        """The view from its JSON form."""
        return Confirmation(
            booking=Booking.from_json(j["booking"]),
            tickets=tuple(Ticket.from_json(x) for x in j["tickets"]),
        )


@dataclass(frozen=True)
class Event:
    """One entry of a show's log. The fields a kind does not have are absent (`seats` is empty)."""

    show: int
    """The show whose log it is."""
    seq: int
    """Its position in the log: 1, 2, 3... without gaps."""
    at: datetime
    """When it happened."""
    kind: EventKind
    """What happened."""
    hold: Optional[int]
    """The hold."""
    booking: Optional[int]
    """The booking."""
    owner: Optional[str]
    """Who holds or booked (absent from public streams)."""
    seats: Tuple[str, ...]
    """Labels of the seats it concerns."""
    seat_status: Optional[SeatStatus]
    """"""
    expires_at: Optional[datetime]
    """"""
    payment_deadline: Optional[datetime]
    """"""
    total: Optional[Money]
    """"""
    payment_ref: Optional[str]
    """The payment's reference (absent from public streams)."""
    from_: Optional[BookingStatus]
    """"""

    @staticmethod
    def from_json(j: Mapping[str, Any]) -> Event:
        """The view from its JSON form."""
        return Event(
            show=int(j["show"]),
            seq=int(j["seq"]),
            at=_instant(j["at"]),
            kind=cast(EventKind, str(j["kind"])),
            hold=None if j.get("hold") is None else int(j["hold"]),
            booking=None if j.get("booking") is None else int(j["booking"]),
            owner=None if j.get("owner") is None else str(j["owner"]),
            seats=tuple(str(x) for x in j["seats"]),
            seat_status=None if j.get("seat_status") is None else cast(SeatStatus, str(j["seat_status"])),
            expires_at=None if j.get("expires_at") is None else _instant(j["expires_at"]),
            payment_deadline=None if j.get("payment_deadline") is None else _instant(j["payment_deadline"]),
            total=None if j.get("total") is None else Money.from_json(j["total"]),
            payment_ref=None if j.get("payment_ref") is None else str(j["payment_ref"]),
            from_=None if j.get("from") is None else cast(BookingStatus, str(j["from"])),
        )


EventKind = Literal["show_scheduled", "show_cancelled", "hold_placed", "hold_extended", "hold_released", "hold_expired", "booking_created", "booking_confirmed", "booking_expired", "booking_cancelled", "booking_refunded", "ticket_checked_in"]
"""What happened."""


@dataclass(frozen=True)
class Hold:
    """A hold: seats of one show, all or none, owned by one owner until it expires."""

    id: int
    """Hold id."""
    show: int
    """The show."""
    owner: str
    """Who holds the seats."""
    seats: Tuple[str, ...]
    """Seat labels, in the order asked."""
    placed_at: datetime
    """When it was placed."""
    expires_at: datetime
    """When it expires unless extended."""
    max_expires_at: datetime
    """Extensions never go past this instant."""
    remaining_ms: int
    """Milliseconds left at the instant the view was made (0 once expired)."""
    fence: int
    """Fencing token: present it on the next change; it grows with every change to the show."""
    quote: Quote
    """The price, fixed when the hold was placed."""

    @staticmethod
    def from_json(j: Mapping[str, Any]) -> Hold:
        """The view from its JSON form."""
        return Hold(
            id=int(j["id"]),
            show=int(j["show"]),
            owner=str(j["owner"]),
            seats=tuple(str(x) for x in j["seats"]),
            placed_at=_instant(j["placed_at"]),
            expires_at=_instant(j["expires_at"]),
            max_expires_at=_instant(j["max_expires_at"]),
            remaining_ms=int(j["remaining_ms"]),
            fence=int(j["fence"]),
            quote=Quote.from_json(j["quote"]),
        )


@dataclass(frozen=True)
class Money:
    """An exact amount: integer minor units of an ISO 4217 currency, with the currency's exponent (2 for EUR, 0 for JPY, 3 for BHD) and the amount written out in major units."""

    minor: int
    """Amount in minor units (cents for EUR); negative for discounts and refunds."""
    currency: str
    """ISO 4217 code, e.g. `EUR`."""
    exponent: int
    """Decimal places of the currency's minor unit (ISO 4217): `minor / 10^exponent` is the amount in major units."""
    amount: str
    """The amount in major units as exact decimal text, e.g. `12.50`."""

    @staticmethod
    def from_json(j: Mapping[str, Any]) -> Money:
        """The view from its JSON form."""
        return Money(
            minor=int(j["minor"]),
            currency=str(j["currency"]),
            exponent=int(j["exponent"]),
            amount=str(j["amount"]),
        )


@dataclass(frozen=True)
class Quote:
    """The price of seats, explained line by line; the totals are the sums of the lines."""

    currency: str
    """ISO 4217 code of every amount."""
    exponent: int
    """Decimal places of the currency's minor unit."""
    lines: Tuple[QuoteLine, ...]
    """One line per seat, in the order asked."""
    subtotal: Money
    """Seat prices before fees and tax."""
    fees: Money
    """Fees."""
    tax: Money
    """Tax (included in or added to the total, per `tax_mode`)."""
    total: Money
    """What the customer pays."""
    tax_rate_bp: int
    """Tax rate in basis points (1/100 of a percent)."""
    tax_mode: TaxMode
    """Whether the tax is included in prices or added to them."""
    promo_code: Optional[str]
    """The promo code applied, as the pricing spells it."""

    @staticmethod
    def from_json(j: Mapping[str, Any]) -> Quote:
        """The view from its JSON form."""
        return Quote(
            currency=str(j["currency"]),
            exponent=int(j["exponent"]),
            lines=tuple(QuoteLine.from_json(x) for x in j["lines"]),
            subtotal=Money.from_json(j["subtotal"]),
            fees=Money.from_json(j["fees"]),
            tax=Money.from_json(j["tax"]),
            total=Money.from_json(j["total"]),
            tax_rate_bp=int(j["tax_rate_bp"]),
            tax_mode=cast(TaxMode, str(j["tax_mode"])),
            promo_code=None if j.get("promo_code") is None else str(j["promo_code"]),
        )


@dataclass(frozen=True)
class QuoteAdjustment:
    """A named change to a seat's price."""

    rule: str
    """The rule that made it, e.g. `ticket type child` or `promo SUMMER10`."""
    amount_minor: int
    """Added to the price (negative for a discount), in minor units of the quote's currency."""

    @staticmethod
    def from_json(j: Mapping[str, Any]) -> QuoteAdjustment:
        """The view from its JSON form."""
        return QuoteAdjustment(
            rule=str(j["rule"]),
            amount_minor=int(j["amount_minor"]),
        )


@dataclass(frozen=True)
class QuoteLine:
    """One seat of a quote, in minor units of the quote's currency: `base + adjustments + fee` is the seat's total, plus `tax` when the tax is exclusive."""

    seat: str
    """Seat label, e.g. `F12`."""
    ticket_type: str
    """Ticket type priced."""
    base_minor: int
    """The category's base price."""
    adjustments: Tuple[QuoteAdjustment, ...]
    """Every rule that changed the price, in the order applied."""
    fee_minor: int
    """Per-ticket fee."""
    tax_minor: int
    """Tax of this seat."""
    total_minor: int
    """What this seat costs."""

    @staticmethod
    def from_json(j: Mapping[str, Any]) -> QuoteLine:
        """The view from its JSON form."""
        return QuoteLine(
            seat=str(j["seat"]),
            ticket_type=str(j["ticket_type"]),
            base_minor=int(j["base_minor"]),
            adjustments=tuple(QuoteAdjustment.from_json(x) for x in j["adjustments"]),
            fee_minor=int(j["fee_minor"]),
            tax_minor=int(j["tax_minor"]),
            total_minor=int(j["total_minor"]),
        )


@dataclass(frozen=True)
class Screen:
    """A screen (an auditorium) of a theatre. Its layout, a rich value, is read on its own (each front has a layout type that parses it and checks selections offline)."""

    id: int
    """Screen id."""
    theatre: int
    """Its theatre."""
    name: str
    """Display name, e.g. `Screen 3`."""
    seat_count: int
    """Places in its layout."""
    categories: Tuple[str, ...]
    """Its price categories, in layout order."""
    layout_text: Optional[str]
    """The layout in its text form, when it can be written as text."""
    layout_json: str
    """The layout in its JSON form (`LayoutSpec`), as JSON text: every layout has one."""

    @staticmethod
    def from_json(j: Mapping[str, Any]) -> Screen:
        """The view from its JSON form."""
        return Screen(
            id=int(j["id"]),
            theatre=int(j["theatre"]),
            name=str(j["name"]),
            seat_count=int(j["seat_count"]),
            categories=tuple(str(x) for x in j["categories"]),
            layout_text=None if j.get("layout_text") is None else str(j["layout_text"]),
            layout_json=str(j["layout_json"]),
        )


@dataclass(frozen=True)
class SeatMap:
    """Every seat of a show with its status and price at one instant."""

    show: int
    """The show."""
    available: int
    """Seats available now."""
    currency: str
    """ISO 4217 code of every price of the map."""
    exponent: int
    """Decimal places of the currency's minor unit."""
    categories: Tuple[Category, ...]
    """The categories in layout order, with their current default price."""
    seats: Tuple[SeatMapSeat, ...]
    """Every seat, in layout order."""
    seq: int
    """The last event of the show's log it reflects (a live stream resumes after it); 0 when the reader did not ask the log."""
    at: datetime
    """The instant it describes."""

    @staticmethod
    def from_json(j: Mapping[str, Any]) -> SeatMap:
        """The view from its JSON form."""
        return SeatMap(
            show=int(j["show"]),
            available=int(j["available"]),
            currency=str(j["currency"]),
            exponent=int(j["exponent"]),
            categories=tuple(Category.from_json(x) for x in j["categories"]),
            seats=tuple(SeatMapSeat.from_json(x) for x in j["seats"]),
            seq=int(j["seq"]),
            at=_instant(j["at"]),
        )


@dataclass(frozen=True)
class SeatMapSeat:
    """One seat of a seat map; prices in minor units of the map's currency."""

    label: str
    """Label, e.g. `F12`."""
    row: str
    """Row name (empty for a general-admission place)."""
    section: str
    """Section name."""
    x: int
    """Column, for drawing."""
    y: int
    """Row position from the front, for drawing."""
    category: str
    """Price category."""
    flags: Tuple[str, ...]
    """The flags set: `wheelchair`, `companion`, `blocked`, `general_admission`."""
    pair: Optional[Tuple[str, ...]]
    """Labels of the other seats of its loveseat pair (absent when it is not one)."""
    status: SeatStatus
    """Status now."""
    price: Optional[int]
    """Price of one default ticket now, in minor units of the map's currency (absent when the pricing cannot price it)."""

    @staticmethod
    def from_json(j: Mapping[str, Any]) -> SeatMapSeat:
        """The view from its JSON form."""
        return SeatMapSeat(
            label=str(j["label"]),
            row=str(j["row"]),
            section=str(j["section"]),
            x=int(j["x"]),
            y=int(j["y"]),
            category=str(j["category"]),
            flags=tuple(str(x) for x in j["flags"]),
            pair=None if j.get("pair") is None else tuple(str(x) for x in j["pair"]),
            status=cast(SeatStatus, str(j["status"])),
            price=None if j.get("price") is None else int(j["price"]),
        )


SeatStatus = Literal["available", "held", "booked", "blocked"]
"""What a seat looks like to a customer now."""


@dataclass(frozen=True)
class Show:
    """One show: a screening of a title on a screen at a time."""

    id: int
    """Show id."""
    title: str
    """What plays."""
    theatre: int
    """Its theatre."""
    screen: int
    """Its screen."""
    starts_at: datetime
    """When it starts."""
    ends_at: datetime
    """When it ends."""
    sales_open_at: datetime
    """Holds are accepted from this instant..."""
    sales_close_at: datetime
    """...until this one."""
    status: ShowStatus
    """Scheduled or cancelled."""
    no_orphan: bool
    """Whether the no-orphan selection rule applies."""
    time_zone: str
    """The theatre's IANA time zone."""
    currency: str
    """ISO 4217 code of its prices."""
    exponent: int
    """Decimal places of the currency's minor unit."""
    seat_count: int
    """Places in its layout."""
    ticket_types: Tuple[str, ...]
    """Ticket types on sale, the default first."""

    @staticmethod
    def from_json(j: Mapping[str, Any]) -> Show:
        """The view from its JSON form."""
        return Show(
            id=int(j["id"]),
            title=str(j["title"]),
            theatre=int(j["theatre"]),
            screen=int(j["screen"]),
            starts_at=_instant(j["starts_at"]),
            ends_at=_instant(j["ends_at"]),
            sales_open_at=_instant(j["sales_open_at"]),
            sales_close_at=_instant(j["sales_close_at"]),
            status=cast(ShowStatus, str(j["status"])),
            no_orphan=bool(j["no_orphan"]),
            time_zone=str(j["time_zone"]),
            currency=str(j["currency"]),
            exponent=int(j["exponent"]),
            seat_count=int(j["seat_count"]),
            ticket_types=tuple(str(x) for x in j["ticket_types"]),
        )


@dataclass(frozen=True)
class ShowCancellation:
    """What cancelling a show released."""

    holds: Tuple[int, ...]
    """Holds released."""
    bookings: Tuple[int, ...]
    """Bookings cancelled (their owners should be told)."""

    @staticmethod
    def from_json(j: Mapping[str, Any]) -> ShowCancellation:
        """The view from its JSON form."""
        return ShowCancellation(
            holds=tuple(int(x) for x in j["holds"]),
            bookings=tuple(int(x) for x in j["bookings"]),
        )


ShowStatus = Literal["scheduled", "cancelled"]
"""Whether a show can still be sold."""


@dataclass(frozen=True)
class SweepReport:
    """What a sweep tidied up."""

    holds_expired: int
    """Expired holds removed (one `hold_expired` event each)."""
    bookings_expired: int
    """Pending bookings past their deadline (one `booking_expired` event each)."""

    @staticmethod
    def from_json(j: Mapping[str, Any]) -> SweepReport:
        """The view from its JSON form."""
        return SweepReport(
            holds_expired=int(j["holds_expired"]),
            bookings_expired=int(j["bookings_expired"]),
        )


TaxMode = Literal["inclusive", "exclusive"]
"""Whether the tax is included in prices or added to them."""


@dataclass(frozen=True)
class Theatre:
    """A venue."""

    id: int
    """Theatre id."""
    name: str
    """Display name."""
    city: str
    """City, for listings."""
    time_zone: str
    """IANA time zone, e.g. `Europe/Paris`."""

    @staticmethod
    def from_json(j: Mapping[str, Any]) -> Theatre:
        """The view from its JSON form."""
        return Theatre(
            id=int(j["id"]),
            name=str(j["name"]),
            city=str(j["city"]),
            time_zone=str(j["time_zone"]),
        )


@dataclass(frozen=True)
class Ticket:
    """One ticket: a seat of a confirmed booking, with the signed code a door scanner verifies."""

    booking: int
    """The booking."""
    show: int
    """The show."""
    seat: str
    """The seat's label, e.g. `F12`."""
    code: str
    """The signed code (what a QR code carries), verified offline at the door."""
    checked_in: bool
    """Whether it was checked in."""

    @staticmethod
    def from_json(j: Mapping[str, Any]) -> Ticket:
        """The view from its JSON form."""
        return Ticket(
            booking=int(j["booking"]),
            show=int(j["show"]),
            seat=str(j["seat"]),
            code=str(j["code"]),
            checked_in=bool(j["checked_in"]),
        )
