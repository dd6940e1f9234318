"""The views every front hands out (booking-front's one front model).

Generated from the views' schemas by `front/tests/python_views.rs`; do not edit by hand
(`BOOKING_BLESS=1 cargo test -p booking-front --test python_views` writes it again). A view reads
its JSON form (a mapping, or the engine's native view) when a field is asked for, so that a rush
that only reads a hold's id never builds its quote. Views are immutable, equal when their JSON
forms are, and hashable. Times are timezone-aware `datetime`s in UTC; money is exact integer
minor units with its currency's exponent; ids are ints; seats are labels.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Dict, Literal, Optional, Tuple, cast


def _instant(text: Any) -> datetime:
    """An RFC 3339 instant with its offset (`2026-11-27T21:00:00.000Z`) as an aware datetime."""
    return datetime.fromisoformat(str(text).replace("Z", "+00:00")).astimezone(timezone.utc)


class _View:
    """The base of every view: its JSON form, read field by field."""

    __slots__ = ("_j",)
    _j: Any
    _fields: Tuple[str, ...] = ()

    def __init__(self, j: Any) -> None:
        object.__setattr__(self, "_j", j)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def to_json(self) -> Dict[str, Any]:
        """The view's JSON form, as plain dicts and lists."""
        j = self._j
        return dict(j.to_dict() if hasattr(j, "to_dict") else j)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _View) and type(other) is type(self) and self.to_json() == other.to_json()

    def __hash__(self) -> int:
        return hash(json.dumps(self.to_json(), sort_keys=True))

    def __repr__(self) -> str:
        fields = ", ".join(f"{f}={getattr(self, f)!r}" for f in self._fields)
        return f"{type(self).__name__}({fields})"


class Booking(_View):
    """A booking of the seats of one hold."""

    __slots__ = ()
    _fields = ("id", "show", "title", "starts_at", "time_zone", "owner", "hold", "seats", "status", "total", "quote", "created_at", "payment_deadline", "payment_ref", "updated_at", "checked_in",)

    @property
    def id(self) -> int:
        """Booking id."""
        return int(self._j["id"])

    @property
    def show(self) -> int:
        """The show."""
        return int(self._j["show"])

    @property
    def title(self) -> str:
        """What plays."""
        return str(self._j["title"])

    @property
    def starts_at(self) -> datetime:
        """When the show starts."""
        return _instant(self._j["starts_at"])

    @property
    def time_zone(self) -> str:
        """The theatre's IANA time zone, to show times as the audience reads them."""
        return str(self._j["time_zone"])

    @property
    def owner(self) -> str:
        """Who booked."""
        return str(self._j["owner"])

    @property
    def hold(self) -> int:
        """The hold it was made from."""
        return int(self._j["hold"])

    @property
    def seats(self) -> Tuple[str, ...]:
        """Seat labels (one ticket each once confirmed)."""
        return tuple(str(x) for x in self._j["seats"])

    @property
    def status(self) -> BookingStatus:
        """The status at the instant the view was made: a pending booking past its deadline reads `expired`, swept or not."""
        return cast(BookingStatus, str(self._j["status"]))

    @property
    def total(self) -> Money:
        """What the customer pays."""
        return Money.from_json(self._j["total"])

    @property
    def quote(self) -> Quote:
        """The price, fixed when the hold was placed."""
        return Quote.from_json(self._j["quote"])

    @property
    def created_at(self) -> datetime:
        """When it was created."""
        return _instant(self._j["created_at"])

    @property
    def payment_deadline(self) -> datetime:
        """A pending booking must be paid before this instant."""
        return _instant(self._j["payment_deadline"])

    @property
    def payment_ref(self) -> Optional[str]:
        """The payment's reference, once paid."""
        return None if self._j.get("payment_ref") is None else str(self._j["payment_ref"])

    @property
    def updated_at(self) -> datetime:
        """When its status last changed."""
        return _instant(self._j["updated_at"])

    @property
    def checked_in(self) -> Tuple[str, ...]:
        """Labels of the seats whose tickets were checked in."""
        return tuple(str(x) for x in self._j["checked_in"])

    @staticmethod
    def from_json(j: Any) -> Booking:
        """The view of its JSON form (a mapping, read when a field is)."""
        return Booking(j)


BookingStatus = Literal["pending", "confirmed", "checked_in", "expired", "cancelled", "refunded"]
"""Where a booking stands."""


class Category(_View):
    """A price category of a seat map, with its current price."""

    __slots__ = ()
    _fields = ("name", "price",)

    @property
    def name(self) -> str:
        """Name."""
        return str(self._j["name"])

    @property
    def price(self) -> Optional[int]:
        """Price of one default ticket now, in minor units of the map's currency."""
        return None if self._j.get("price") is None else int(self._j["price"])

    @staticmethod
    def from_json(j: Any) -> Category:
        """The view of its JSON form (a mapping, read when a field is)."""
        return Category(j)


class CheckIn(_View):
    """A ticket just checked in at the door, with its booking."""

    __slots__ = ()
    _fields = ("ticket", "booking",)

    @property
    def ticket(self) -> Ticket:
        """The ticket."""
        return Ticket.from_json(self._j["ticket"])

    @property
    def booking(self) -> Booking:
        """Its booking after the check-in."""
        return Booking.from_json(self._j["booking"])

    @staticmethod
    def from_json(j: Any) -> CheckIn:
        """The view of its JSON form (a mapping, read when a field is)."""
        return CheckIn(j)


class Confirmation(_View):
    """A booking just paid, with its tickets."""

    __slots__ = ()
    _fields = ("booking", "tickets",)

    @property
    def booking(self) -> Booking:
        """The booking, now confirmed."""
        return Booking.from_json(self._j["booking"])

    @property
    def tickets(self) -> Tuple[Ticket, ...]:
        """One ticket per seat."""
        return tuple(Ticket.from_json(x) for x in self._j["tickets"])

    @staticmethod
    def from_json(j: Any) -> Confirmation:
        """The view of its JSON form (a mapping, read when a field is)."""
        return Confirmation(j)


class Event(_View):
    """One entry of a show's log. The fields a kind does not have are absent (`seats` is empty)."""

    __slots__ = ()
    _fields = ("show", "seq", "at", "kind", "hold", "booking", "owner", "seats", "seat_status", "expires_at", "payment_deadline", "total", "payment_ref", "from_",)

    @property
    def show(self) -> int:
        """The show whose log it is."""
        return int(self._j["show"])

    @property
    def seq(self) -> int:
        """Its position in the log: 1, 2, 3... without gaps."""
        return int(self._j["seq"])

    @property
    def at(self) -> datetime:
        """When it happened."""
        return _instant(self._j["at"])

    @property
    def kind(self) -> EventKind:
        """What happened."""
        return cast(EventKind, str(self._j["kind"]))

    @property
    def hold(self) -> Optional[int]:
        """The hold."""
        return None if self._j.get("hold") is None else int(self._j["hold"])

    @property
    def booking(self) -> Optional[int]:
        """The booking."""
        return None if self._j.get("booking") is None else int(self._j["booking"])

    @property
    def owner(self) -> Optional[str]:
        """Who holds or booked (absent from public streams)."""
        return None if self._j.get("owner") is None else str(self._j["owner"])

    @property
    def seats(self) -> Tuple[str, ...]:
        """Labels of the seats it concerns."""
        return tuple(str(x) for x in self._j["seats"])

    @property
    def seat_status(self) -> Optional[SeatStatus]:
        """"""
        return None if self._j.get("seat_status") is None else cast(SeatStatus, str(self._j["seat_status"]))

    @property
    def expires_at(self) -> Optional[datetime]:
        """"""
        return None if self._j.get("expires_at") is None else _instant(self._j["expires_at"])

    @property
    def payment_deadline(self) -> Optional[datetime]:
        """"""
        return None if self._j.get("payment_deadline") is None else _instant(self._j["payment_deadline"])

    @property
    def total(self) -> Optional[Money]:
        """"""
        return None if self._j.get("total") is None else Money.from_json(self._j["total"])

    @property
    def payment_ref(self) -> Optional[str]:
        """The payment's reference (absent from public streams)."""
        return None if self._j.get("payment_ref") is None else str(self._j["payment_ref"])

    @property
    def from_(self) -> Optional[BookingStatus]:
        """"""
        return None if self._j.get("from") is None else cast(BookingStatus, str(self._j["from"]))

    @staticmethod
    def from_json(j: Any) -> Event:
        """The view of its JSON form (a mapping, read when a field is)."""
        return Event(j)


EventKind = Literal["show_scheduled", "show_cancelled", "hold_placed", "hold_extended", "hold_released", "hold_expired", "booking_created", "booking_confirmed", "booking_expired", "booking_cancelled", "booking_refunded", "ticket_checked_in"]
"""What happened."""


class Hold(_View):
    """A hold: seats of one show, all or none, owned by one owner until it expires."""

    __slots__ = ()
    _fields = ("id", "show", "owner", "seats", "placed_at", "expires_at", "max_expires_at", "remaining_ms", "fence", "quote",)

    @property
    def id(self) -> int:
        """Hold id."""
        return int(self._j["id"])

    @property
    def show(self) -> int:
        """The show."""
        return int(self._j["show"])

    @property
    def owner(self) -> str:
        """Who holds the seats."""
        return str(self._j["owner"])

    @property
    def seats(self) -> Tuple[str, ...]:
        """Seat labels, in the order asked."""
        return tuple(str(x) for x in self._j["seats"])

    @property
    def placed_at(self) -> datetime:
        """When it was placed."""
        return _instant(self._j["placed_at"])

    @property
    def expires_at(self) -> datetime:
        """When it expires unless extended."""
        return _instant(self._j["expires_at"])

    @property
    def max_expires_at(self) -> datetime:
        """Extensions never go past this instant."""
        return _instant(self._j["max_expires_at"])

    @property
    def remaining_ms(self) -> int:
        """Milliseconds left at the instant the view was made (0 once expired)."""
        return int(self._j["remaining_ms"])

    @property
    def fence(self) -> int:
        """Fencing token: present it on the next change; it grows with every change to the show."""
        return int(self._j["fence"])

    @property
    def quote(self) -> Quote:
        """The price, fixed when the hold was placed."""
        return Quote.from_json(self._j["quote"])

    @staticmethod
    def from_json(j: Any) -> Hold:
        """The view of its JSON form (a mapping, read when a field is)."""
        return Hold(j)


class Money(_View):
    """An exact amount: integer minor units of an ISO 4217 currency, with the currency's exponent (2 for EUR, 0 for JPY, 3 for BHD) and the amount written out in major units."""

    __slots__ = ()
    _fields = ("minor", "currency", "exponent", "amount",)

    @property
    def minor(self) -> int:
        """Amount in minor units (cents for EUR); negative for discounts and refunds."""
        return int(self._j["minor"])

    @property
    def currency(self) -> str:
        """ISO 4217 code, e.g. `EUR`."""
        return str(self._j["currency"])

    @property
    def exponent(self) -> int:
        """Decimal places of the currency's minor unit (ISO 4217): `minor / 10^exponent` is the amount in major units."""
        return int(self._j["exponent"])

    @property
    def amount(self) -> str:
        """The amount in major units as exact decimal text, e.g. `12.50`."""
        return str(self._j["amount"])

    @staticmethod
    def from_json(j: Any) -> Money:
        """The view of its JSON form (a mapping, read when a field is)."""
        return Money(j)


class Quote(_View):
    """The price of seats, explained line by line; the totals are the sums of the lines."""

    __slots__ = ()
    _fields = ("currency", "exponent", "lines", "subtotal", "fees", "tax", "total", "tax_rate_bp", "tax_mode", "promo_code",)

    @property
    def currency(self) -> str:
        """ISO 4217 code of every amount."""
        return str(self._j["currency"])

    @property
    def exponent(self) -> int:
        """Decimal places of the currency's minor unit."""
        return int(self._j["exponent"])

    @property
    def lines(self) -> Tuple[QuoteLine, ...]:
        """One line per seat, in the order asked."""
        return tuple(QuoteLine.from_json(x) for x in self._j["lines"])

    @property
    def subtotal(self) -> Money:
        """Seat prices before fees and tax."""
        return Money.from_json(self._j["subtotal"])

    @property
    def fees(self) -> Money:
        """Fees."""
        return Money.from_json(self._j["fees"])

    @property
    def tax(self) -> Money:
        """Tax (included in or added to the total, per `tax_mode`)."""
        return Money.from_json(self._j["tax"])

    @property
    def total(self) -> Money:
        """What the customer pays."""
        return Money.from_json(self._j["total"])

    @property
    def tax_rate_bp(self) -> int:
        """Tax rate in basis points (1/100 of a percent)."""
        return int(self._j["tax_rate_bp"])

    @property
    def tax_mode(self) -> TaxMode:
        """Whether the tax is included in prices or added to them."""
        return cast(TaxMode, str(self._j["tax_mode"]))

    @property
    def promo_code(self) -> Optional[str]:
        """The promo code applied, as the pricing spells it."""
        return None if self._j.get("promo_code") is None else str(self._j["promo_code"])

    @staticmethod
    def from_json(j: Any) -> Quote:
        """The view of its JSON form (a mapping, read when a field is)."""
        return Quote(j)


class QuoteAdjustment(_View):
    """A named change to a seat's price."""

    __slots__ = ()
    _fields = ("rule", "amount_minor",)

    @property
    def rule(self) -> str:
        """The rule that made it, e.g. `ticket type child` or `promo SUMMER10`."""
        return str(self._j["rule"])

    @property
    def amount_minor(self) -> int:
        """Added to the price (negative for a discount), in minor units of the quote's currency."""
        return int(self._j["amount_minor"])

    @staticmethod
    def from_json(j: Any) -> QuoteAdjustment:
        """The view of its JSON form (a mapping, read when a field is)."""
        return QuoteAdjustment(j)


class QuoteLine(_View):
    """One seat of a quote, in minor units of the quote's currency: `base + adjustments + fee` is the seat's total, plus `tax` when the tax is exclusive."""

    __slots__ = ()
    _fields = ("seat", "ticket_type", "base_minor", "adjustments", "fee_minor", "tax_minor", "total_minor",)

    @property
    def seat(self) -> str:
        """Seat label, e.g. `F12`."""
        return str(self._j["seat"])

    @property
    def ticket_type(self) -> str:
        """Ticket type priced."""
        return str(self._j["ticket_type"])

    @property
    def base_minor(self) -> int:
        """The category's base price."""
        return int(self._j["base_minor"])

    @property
    def adjustments(self) -> Tuple[QuoteAdjustment, ...]:
        """Every rule that changed the price, in the order applied."""
        return tuple(QuoteAdjustment.from_json(x) for x in self._j["adjustments"])

    @property
    def fee_minor(self) -> int:
        """Per-ticket fee."""
        return int(self._j["fee_minor"])

    @property
    def tax_minor(self) -> int:
        """Tax of this seat."""
        return int(self._j["tax_minor"])

    @property
    def total_minor(self) -> int:
        """What this seat costs."""
        return int(self._j["total_minor"])

    @staticmethod
    def from_json(j: Any) -> QuoteLine:
        """The view of its JSON form (a mapping, read when a field is)."""
        return QuoteLine(j)


class Screen(_View):
    """A screen (an auditorium) of a theatre. Its layout, a rich value, is read on its own (each front has a layout type that parses it and checks selections offline)."""

    __slots__ = ()
    _fields = ("id", "theatre", "name", "seat_count", "categories", "layout_text", "layout_json",)

    @property
    def id(self) -> int:
        """Screen id."""
        return int(self._j["id"])

    @property
    def theatre(self) -> int:
        """Its theatre."""
        return int(self._j["theatre"])

    @property
    def name(self) -> str:
        """Display name, e.g. `Screen 3`."""
        return str(self._j["name"])

    @property
    def seat_count(self) -> int:
        """Places in its layout."""
        return int(self._j["seat_count"])

    @property
    def categories(self) -> Tuple[str, ...]:
        """Its price categories, in layout order."""
        return tuple(str(x) for x in self._j["categories"])

    @property
    def layout_text(self) -> Optional[str]:
        """The layout in its text form, when it can be written as text."""
        return None if self._j.get("layout_text") is None else str(self._j["layout_text"])

    @property
    def layout_json(self) -> str:
        """The layout in its JSON form (`LayoutSpec`), as JSON text: every layout has one."""
        return str(self._j["layout_json"])

    @staticmethod
    def from_json(j: Any) -> Screen:
        """The view of its JSON form (a mapping, read when a field is)."""
        return Screen(j)


class SeatMap(_View):
    """Every seat of a show with its status and price at one instant."""

    __slots__ = ()
    _fields = ("show", "available", "currency", "exponent", "categories", "seats", "zones", "seq", "at",)

    @property
    def show(self) -> int:
        """The show."""
        return int(self._j["show"])

    @property
    def available(self) -> int:
        """Seats available now."""
        return int(self._j["available"])

    @property
    def currency(self) -> str:
        """ISO 4217 code of every price of the map."""
        return str(self._j["currency"])

    @property
    def exponent(self) -> int:
        """Decimal places of the currency's minor unit."""
        return int(self._j["exponent"])

    @property
    def categories(self) -> Tuple[Category, ...]:
        """The categories in layout order, with their current default price."""
        return tuple(Category.from_json(x) for x in self._j["categories"])

    @property
    def seats(self) -> Tuple[SeatMapSeat, ...]:
        """Every seat, in layout order (the places of general-admission zones last)."""
        return tuple(SeatMapSeat.from_json(x) for x in self._j["seats"])

    @property
    def zones(self) -> Tuple[SeatMapZone, ...]:
        """The general-admission zones, in layout order, with their free places."""
        return tuple(SeatMapZone.from_json(x) for x in self._j["zones"])

    @property
    def seq(self) -> int:
        """The last event of the show's log it reflects (a live stream resumes after it); 0 when the reader did not ask the log."""
        return int(self._j["seq"])

    @property
    def at(self) -> datetime:
        """The instant it describes."""
        return _instant(self._j["at"])

    @staticmethod
    def from_json(j: Any) -> SeatMap:
        """The view of its JSON form (a mapping, read when a field is)."""
        return SeatMap(j)


class SeatMapSeat(_View):
    """One seat of a seat map; prices in minor units of the map's currency."""

    __slots__ = ()
    _fields = ("label", "row", "section", "x", "y", "category", "flags", "pair", "status", "price",)

    @property
    def label(self) -> str:
        """Label, e.g. `F12`."""
        return str(self._j["label"])

    @property
    def row(self) -> str:
        """Row name (empty for a general-admission place)."""
        return str(self._j["row"])

    @property
    def section(self) -> str:
        """Section name."""
        return str(self._j["section"])

    @property
    def x(self) -> int:
        """Column, for drawing."""
        return int(self._j["x"])

    @property
    def y(self) -> int:
        """Row position from the front, for drawing."""
        return int(self._j["y"])

    @property
    def category(self) -> str:
        """Price category."""
        return str(self._j["category"])

    @property
    def flags(self) -> Tuple[str, ...]:
        """The flags set: `wheelchair`, `companion`, `blocked`, `general_admission`."""
        return tuple(str(x) for x in self._j["flags"])

    @property
    def pair(self) -> Optional[Tuple[str, ...]]:
        """Labels of the other seats of its loveseat pair (absent when it is not one)."""
        return None if self._j.get("pair") is None else tuple(str(x) for x in self._j["pair"])

    @property
    def status(self) -> SeatStatus:
        """Status now."""
        return cast(SeatStatus, str(self._j["status"]))

    @property
    def price(self) -> Optional[int]:
        """Price of one default ticket now, in minor units of the map's currency (absent when the pricing cannot price it)."""
        return None if self._j.get("price") is None else int(self._j["price"])

    @staticmethod
    def from_json(j: Any) -> SeatMapSeat:
        """The view of its JSON form (a mapping, read when a field is)."""
        return SeatMapSeat(j)


class SeatMapZone(_View):
    """A general-admission zone of a seat map: how many of its places are free."""

    __slots__ = ()
    _fields = ("name", "category", "capacity", "available",)

    @property
    def name(self) -> str:
        """Name, e.g. `Standing`: holds ask for its places by quantity."""
        return str(self._j["name"])

    @property
    def category(self) -> str:
        """Its category."""
        return str(self._j["category"])

    @property
    def capacity(self) -> int:
        """Its number of places."""
        return int(self._j["capacity"])

    @property
    def available(self) -> int:
        """Places available now."""
        return int(self._j["available"])

    @staticmethod
    def from_json(j: Any) -> SeatMapZone:
        """The view of its JSON form (a mapping, read when a field is)."""
        return SeatMapZone(j)


SeatStatus = Literal["available", "held", "pending", "booked", "blocked"]
"""What a seat looks like to a customer now."""


class Show(_View):
    """One show: a screening of a title on a screen at a time."""

    __slots__ = ()
    _fields = ("id", "title", "theatre", "screen", "starts_at", "ends_at", "sales_open_at", "sales_close_at", "status", "no_orphan", "tickets_per_owner_max", "accessible_until", "time_zone", "currency", "exponent", "seat_count", "ticket_types",)

    @property
    def id(self) -> int:
        """Show id."""
        return int(self._j["id"])

    @property
    def title(self) -> str:
        """What plays."""
        return str(self._j["title"])

    @property
    def theatre(self) -> int:
        """Its theatre."""
        return int(self._j["theatre"])

    @property
    def screen(self) -> int:
        """Its screen."""
        return int(self._j["screen"])

    @property
    def starts_at(self) -> datetime:
        """When it starts."""
        return _instant(self._j["starts_at"])

    @property
    def ends_at(self) -> datetime:
        """When it ends."""
        return _instant(self._j["ends_at"])

    @property
    def sales_open_at(self) -> datetime:
        """Holds are accepted from this instant..."""
        return _instant(self._j["sales_open_at"])

    @property
    def sales_close_at(self) -> datetime:
        """...until this one."""
        return _instant(self._j["sales_close_at"])

    @property
    def status(self) -> ShowStatus:
        """Scheduled or cancelled."""
        return cast(ShowStatus, str(self._j["status"]))

    @property
    def no_orphan(self) -> bool:
        """Whether the no-orphan selection rule applies."""
        return bool(self._j["no_orphan"])

    @property
    def tickets_per_owner_max(self) -> Optional[int]:
        """Most tickets one customer may have on the show, held, pending and paid together; absent: no cap."""
        return None if self._j.get("tickets_per_owner_max") is None else int(self._j["tickets_per_owner_max"])

    @property
    def accessible_until(self) -> Optional[datetime]:
        """"""
        return None if self._j.get("accessible_until") is None else _instant(self._j["accessible_until"])

    @property
    def time_zone(self) -> str:
        """The theatre's IANA time zone."""
        return str(self._j["time_zone"])

    @property
    def currency(self) -> str:
        """ISO 4217 code of its prices."""
        return str(self._j["currency"])

    @property
    def exponent(self) -> int:
        """Decimal places of the currency's minor unit."""
        return int(self._j["exponent"])

    @property
    def seat_count(self) -> int:
        """Places in its layout."""
        return int(self._j["seat_count"])

    @property
    def ticket_types(self) -> Tuple[str, ...]:
        """Ticket types on sale, the default first."""
        return tuple(str(x) for x in self._j["ticket_types"])

    @staticmethod
    def from_json(j: Any) -> Show:
        """The view of its JSON form (a mapping, read when a field is)."""
        return Show(j)


class ShowCancellation(_View):
    """What cancelling a show released."""

    __slots__ = ()
    _fields = ("holds", "bookings",)

    @property
    def holds(self) -> Tuple[int, ...]:
        """Holds released."""
        return tuple(int(x) for x in self._j["holds"])

    @property
    def bookings(self) -> Tuple[int, ...]:
        """Bookings cancelled (their owners should be told)."""
        return tuple(int(x) for x in self._j["bookings"])

    @staticmethod
    def from_json(j: Any) -> ShowCancellation:
        """The view of its JSON form (a mapping, read when a field is)."""
        return ShowCancellation(j)


ShowStatus = Literal["scheduled", "cancelled"]
"""Whether a show can still be sold."""


class SweepReport(_View):
    """What a sweep tidied up."""

    __slots__ = ()
    _fields = ("holds_expired", "bookings_expired",)

    @property
    def holds_expired(self) -> int:
        """Expired holds removed (one `hold_expired` event each)."""
        return int(self._j["holds_expired"])

    @property
    def bookings_expired(self) -> int:
        """Pending bookings past their deadline (one `booking_expired` event each)."""
        return int(self._j["bookings_expired"])

    @staticmethod
    def from_json(j: Any) -> SweepReport:
        """The view of its JSON form (a mapping, read when a field is)."""
        return SweepReport(j)


TaxMode = Literal["inclusive", "exclusive"]
"""Whether the tax is included in prices or added to them."""


class Theatre(_View):
    """A venue."""

    __slots__ = ()
    _fields = ("id", "name", "city", "time_zone",)

    @property
    def id(self) -> int:
        """Theatre id."""
        return int(self._j["id"])

    @property
    def name(self) -> str:
        """Display name."""
        return str(self._j["name"])

    @property
    def city(self) -> str:
        """City, for listings."""
        return str(self._j["city"])

    @property
    def time_zone(self) -> str:
        """IANA time zone, e.g. `Europe/Paris`."""
        return str(self._j["time_zone"])

    @staticmethod
    def from_json(j: Any) -> Theatre:
        """The view of its JSON form (a mapping, read when a field is)."""
        return Theatre(j)


class Ticket(_View):
    """One ticket: a seat of a confirmed booking, with the signed code a door scanner verifies."""

    __slots__ = ()
    _fields = ("booking", "show", "seat", "code", "checked_in",)

    @property
    def booking(self) -> int:
        """The booking."""
        return int(self._j["booking"])

    @property
    def show(self) -> int:
        """The show."""
        return int(self._j["show"])

    @property
    def seat(self) -> str:
        """The seat's label, e.g. `F12`."""
        return str(self._j["seat"])

    @property
    def code(self) -> str:
        """The signed code (what a QR code carries), verified offline at the door."""
        return str(self._j["code"])

    @property
    def checked_in(self) -> bool:
        """Whether it was checked in."""
        return bool(self._j["checked_in"])

    @staticmethod
    def from_json(j: Any) -> Ticket:
        """The view of its JSON form (a mapping, read when a field is)."""
        return Ticket(j)


class TicketClaims(_View):
    """What a genuine ticket code says, read offline without the store: the seat is its index in the show's layout (the layout names it)."""

    __slots__ = ()
    _fields = ("show", "booking", "seat",)

    @property
    def show(self) -> int:
        """The show."""
        return int(self._j["show"])

    @property
    def booking(self) -> int:
        """The booking."""
        return int(self._j["booking"])

    @property
    def seat(self) -> int:
        """The seat's index in the show's layout."""
        return int(self._j["seat"])

    @staticmethod
    def from_json(j: Any) -> TicketClaims:
        """The view of its JSON form (a mapping, read when a field is)."""
        return TicketClaims(j)


class TicketKey(_View):
    """A public key that verifies tickets, as a JSON Web Key (RFC 8037: `OKP`, `Ed25519`)."""

    __slots__ = ()
    _fields = ("kty", "crv", "alg", "kid", "x", "signing",)

    @property
    def kty(self) -> str:
        """Key type: `OKP`."""
        return str(self._j["kty"])

    @property
    def crv(self) -> str:
        """Curve: `Ed25519`."""
        return str(self._j["crv"])

    @property
    def alg(self) -> str:
        """Algorithm: `EdDSA`."""
        return str(self._j["alg"])

    @property
    def kid(self) -> str:
        """The key's id, as ticket codes name it."""
        return str(self._j["kid"])

    @property
    def x(self) -> str:
        """The public key: 32 bytes in unpadded base64url. Give it to `verify_ticket`."""
        return str(self._j["x"])

    @property
    def signing(self) -> bool:
        """Whether it signs new tickets (otherwise it is a previous key whose tickets still verify)."""
        return bool(self._j["signing"])

    @staticmethod
    def from_json(j: Any) -> TicketKey:
        """The view of its JSON form (a mapping, read when a field is)."""
        return TicketKey(j)


class TicketKeys(_View):
    """The public keys that verify an engine's tickets, the signing one first (a JSON Web Key Set)."""

    __slots__ = ()
    _fields = ("keys",)

    @property
    def keys(self) -> Tuple[TicketKey, ...]:
        """The keys."""
        return tuple(TicketKey.from_json(x) for x in self._j["keys"])

    @staticmethod
    def from_json(j: Any) -> TicketKeys:
        """The view of its JSON form (a mapping, read when a field is)."""
        return TicketKeys(j)
