"""The exception hierarchy: `BookingError` at its root, one subclass per core error code.

Every error the engine raises is an instance of exactly one of these classes, chosen by its
stable machine `code`; `details` holds what the engine said about it (for example the seats that
were unavailable), and `retryable` whether the same call may succeed later.
"""

from __future__ import annotations

from typing import Any, Dict, List, Type


class BookingError(Exception):
    """Root of every error booking_core raises."""

    code: str = "BOOKING_ERROR"

    def __init__(self, message: str, details: Dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details: Dict[str, Any] = dict(details or {})
        self.retryable: bool = bool(self.details.pop("retryable", False))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, details={self.details!r})"


class InvalidInputError(BookingError):
    """A field of the request is malformed or out of range: `field` names it, `reason` says why."""

    code = "INVALID_INPUT"

    @property
    def field(self) -> str:
        return str(self.details.get("field", ""))

    @property
    def reason(self) -> str:
        return str(self.details.get("reason", ""))


class InvalidLayoutError(BookingError):
    """A seat layout was refused; the message lists every problem with its place."""

    code = "INVALID_LAYOUT"


class InvalidPricingError(BookingError):
    """A pricing policy was refused, or cannot price a seat of the layout."""

    code = "INVALID_PRICING"


class PromoRejectedError(BookingError):
    """The promo code does not apply: unknown, outside its validity, exhausted, or to no seat."""

    code = "PROMO_REJECTED"


class NotFoundError(BookingError):
    """No such theatre, screen, show, hold, booking or seat."""

    code = "NOT_FOUND"


class SeatUnavailableError(BookingError):
    """Some of the seats asked for are taken or blocked: `seats` lists their labels."""

    code = "SEAT_UNAVAILABLE"

    @property
    def seats(self) -> List[str]:
        return list(self.details.get("seats", []))


class SelectionRuleError(BookingError):
    """The selection breaks a rule (a lone seat left between taken ones, half a loveseat)."""

    code = "SELECTION_RULE"

    @property
    def seats(self) -> List[str]:
        return list(self.details.get("seats", []))


class HoldExpiredError(BookingError):
    """The hold (or the booking's payment window) has ended."""

    code = "HOLD_EXPIRED"


class NotOwnerError(BookingError):
    """The hold or booking belongs to someone else."""

    code = "NOT_OWNER"


class StaleFenceError(BookingError):
    """The fencing token presented is not the current one."""

    code = "STALE_FENCE"


class LimitExceededError(BookingError):
    """A limit was reached: `details["limit"]` names it and `details["max"]` gives it."""

    code = "LIMIT_EXCEEDED"


class InvalidTransitionError(BookingError):
    """The booking's state does not allow this action."""

    code = "INVALID_TRANSITION"


class ShowOverlapError(BookingError):
    """The show would overlap another show on the same screen."""

    code = "SHOW_OVERLAP"


class SalesClosedError(BookingError):
    """The show is not on sale now."""

    code = "SALES_CLOSED"


class IdempotencyConflictError(BookingError):
    """The idempotency key was already used for a different request."""

    code = "IDEMPOTENCY_CONFLICT"


class AlreadyCheckedInError(BookingError):
    """The ticket was already scanned at the door."""

    code = "ALREADY_CHECKED_IN"


class InvalidTicketError(BookingError):
    """The ticket code is malformed, forged, or names nothing that exists."""

    code = "INVALID_TICKET"


class StoreUnavailableError(BookingError):
    """The store could not be reached in time; the same call may succeed later."""

    code = "STORE_UNAVAILABLE"


class StoreFailureError(BookingError):
    """The store failed (or the engine hit an internal error); the call changed nothing it reported."""

    code = "STORE_FAILURE"


class PaymentDeclinedError(BookingError):
    """The payment gateway refused the card; nothing was charged: `reason` says why."""

    code = "PAYMENT_DECLINED"

    @property
    def reason(self) -> str:
        return str(self.details.get("reason", ""))


class PaymentTimeoutError(BookingError):
    """The payment gateway did not answer in time; paying again with the same key settles it."""

    code = "PAYMENT_TIMEOUT"


class PaymentFailedError(BookingError):
    """The payment gateway failed; nothing was confirmed."""

    code = "PAYMENT_FAILED"


ERRORS: Dict[str, Type[BookingError]] = {
    cls.code: cls
    for cls in (
        InvalidInputError,
        InvalidLayoutError,
        InvalidPricingError,
        PromoRejectedError,
        NotFoundError,
        SeatUnavailableError,
        SelectionRuleError,
        HoldExpiredError,
        NotOwnerError,
        StaleFenceError,
        LimitExceededError,
        InvalidTransitionError,
        ShowOverlapError,
        SalesClosedError,
        IdempotencyConflictError,
        AlreadyCheckedInError,
        InvalidTicketError,
        StoreUnavailableError,
        StoreFailureError,
        PaymentDeclinedError,
        PaymentTimeoutError,
        PaymentFailedError,
    )
}
"""Each error code's class."""


def from_native(code: str, message: str, details: Dict[str, Any]) -> BookingError:
    """The exception for an error the engine reported."""
    cls = ERRORS.get(code, BookingError)
    err = cls(message, details)
    if cls is BookingError:
        err.code = code
    return err
