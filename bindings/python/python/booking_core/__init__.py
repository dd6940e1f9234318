"""booking_core: a seat-booking engine where a seat is never sold twice.

    >>> from datetime import datetime, timedelta, timezone
    >>> from booking_core import Engine, simple_pricing
    >>> now = datetime(2030, 1, 1, tzinfo=timezone.utc)
    >>> engine = Engine(b"k" * 32, clock=now)
    >>> t = engine.create_theatre("Odeon", "Paris", "Europe/Paris")
    >>> s = engine.add_screen(t.id, "One", "section Main category=standard\\nrow A: 1-10\\n")
    >>> show = engine.schedule_show(s.id, "Metropolis", now + timedelta(days=1),
    ...     now + timedelta(days=1, hours=2), simple_pricing("EUR", {"standard": 1200}))
    >>> hold = engine.hold(show.id, "ann", ["A4", "A5"])
    >>> hold.seats, hold.quote.total.amount, hold.quote.total.currency
    (('A4', 'A5'), '24.00', 'EUR')
"""

from ._engine import AsyncEngine, Engine, Places, Seats, simple_pricing, verify_ticket
from ._errors import (
    ERRORS,
    AlreadyCheckedInError,
    BookingError,
    HoldExpiredError,
    IdempotencyConflictError,
    InvalidInputError,
    InvalidLayoutError,
    InvalidPricingError,
    InvalidTicketError,
    InvalidTransitionError,
    LimitExceededError,
    NotFoundError,
    NotOwnerError,
    PaymentDeclinedError,
    PaymentFailedError,
    PaymentTimeoutError,
    PromoRejectedError,
    SalesClosedError,
    SeatUnavailableError,
    SelectionRuleError,
    ShowOverlapError,
    StaleFenceError,
    StoreFailureError,
    StoreUnavailableError,
)
from ._types import Layout, LayoutSeat
from ._views import (
    Booking,
    BookingStatus,
    Category,
    CheckIn,
    Confirmation,
    Event,
    EventKind,
    Hold,
    Money,
    Quote,
    QuoteAdjustment,
    QuoteLine,
    Screen,
    SeatMap,
    SeatMapSeat,
    SeatMapZone,
    SeatStatus,
    Show,
    ShowCancellation,
    ShowStatus,
    SweepReport,
    TaxMode,
    Theatre,
    Ticket,
    TicketClaims,
    TicketKey,
    TicketKeys,
)

__all__ = [
    "AlreadyCheckedInError", "BookingStatus", "Category", "EventKind", "QuoteAdjustment", "SeatMapSeat", "SeatMapZone", "SeatStatus",
    "ShowStatus", "TaxMode", "AsyncEngine", "Booking", "BookingError", "CheckIn", "Confirmation",
    "ERRORS", "Engine", "Event", "Hold", "HoldExpiredError", "IdempotencyConflictError", "InvalidInputError",
    "InvalidLayoutError", "InvalidPricingError", "InvalidTicketError", "InvalidTransitionError", "Layout",
    "LayoutSeat", "LimitExceededError", "Money", "NotFoundError", "NotOwnerError", "PaymentDeclinedError",
    "PaymentFailedError", "PaymentTimeoutError", "PromoRejectedError", "Quote",
    "QuoteLine", "SalesClosedError", "Screen", "SeatMap", "SeatUnavailableError", "Seats", "Places",
    "SelectionRuleError", "Show", "ShowCancellation", "ShowOverlapError", "StaleFenceError", "StoreFailureError",
    "StoreUnavailableError", "SweepReport", "Theatre", "Ticket", "TicketClaims", "TicketKey", "TicketKeys", "simple_pricing",
    "verify_ticket",
]
