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
    >>> str(hold.quote.total)
    '24.00 EUR'
"""

from ._engine import AsyncEngine, Engine, Seats, simple_pricing
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
from ._types import (
    Adjustment,
    Booking,
    CheckIn,
    Confirmation,
    Event,
    Hold,
    Layout,
    LayoutSeat,
    Money,
    Quote,
    QuoteLine,
    Screen,
    SeatMap,
    SeatView,
    Show,
    ShowCancellation,
    SweepReport,
    Theatre,
    Ticket,
)

__all__ = [
    "Adjustment", "AlreadyCheckedInError", "AsyncEngine", "Booking", "BookingError", "CheckIn", "Confirmation",
    "ERRORS", "Engine", "Event", "Hold", "HoldExpiredError", "IdempotencyConflictError", "InvalidInputError",
    "InvalidLayoutError", "InvalidPricingError", "InvalidTicketError", "InvalidTransitionError", "Layout",
    "LayoutSeat", "LimitExceededError", "Money", "NotFoundError", "NotOwnerError", "PaymentDeclinedError",
    "PaymentFailedError", "PaymentTimeoutError", "PromoRejectedError", "Quote",
    "QuoteLine", "SalesClosedError", "Screen", "SeatMap", "SeatUnavailableError", "SeatView", "Seats",
    "SelectionRuleError", "Show", "ShowCancellation", "ShowOverlapError", "StaleFenceError", "StoreFailureError",
    "StoreUnavailableError", "SweepReport", "Theatre", "Ticket", "simple_pricing",
]
