"""What the binding takes in (times, durations, seats) and the one value it parses on its own, a
layout. Everything the engine answers is a view of booking-front's one front model, generated
into `_views.py`.

Times are timezone-aware `datetime`s in UTC, durations `timedelta`s. Ids are plain ints.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
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


def place_choices(places: Optional[Mapping[str, int]]) -> List[Dict[str, Any]]:
    """Places of general-admission zones by quantity (zone name -> how many), as the engine takes them."""
    if places is None:
        return []
    if not isinstance(places, Mapping):
        from ._errors import InvalidInputError

        raise InvalidInputError("invalid places: give a mapping of zone name to quantity", {"field": "places", "reason": "must map zone names to quantities"})
    return [{"zone": zone, "quantity": quantity} for zone, quantity in places.items()]


def seat_choices(seats: Union[Sequence[str], Mapping[str, Optional[str]]]) -> List[Dict[str, Any]]:
    """Seat labels, or labels with a ticket type each, as the engine takes them."""
    if isinstance(seats, Mapping):
        return [{"label": label, "ticket_type": tt} for label, tt in seats.items()]
    if isinstance(seats, str):
        from ._errors import InvalidInputError

        raise InvalidInputError("invalid seats: give a list of labels, not one string", {"field": "seats", "reason": "must be a list of labels"})
    return [{"label": label} for label in seats]
