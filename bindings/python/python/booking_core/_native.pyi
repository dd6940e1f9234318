"""Type stub of the native module (see src/lib.rs); use the `booking_core` package instead."""

from typing import List, Optional, Tuple

class QuoteRef:
    """A quote kept native until read."""

    def json(self) -> str: ...

HoldTuple = Tuple[int, int, str, Tuple[int, ...], int, int, int, int, QuoteRef]

class NativeError(Exception):
    """A refused call: args are (code, message, details_json)."""

class Engine:
    def __init__(
        self,
        signing_key: bytes,
        database_url: Optional[str] = ...,
        manual_start_ms: Optional[int] = ...,
        config_json: Optional[str] = ...,
        redis_url: Optional[str] = ...,
    ) -> None: ...
    def call(self, op: str, args_json: str) -> str: ...
    def hold(self, show: int, owner: str, seats: List[str], promo_code: Optional[str] = ...) -> HoldTuple: ...
    def release_hold(self, hold: int, owner: Optional[str] = ..., fence: Optional[int] = ...) -> HoldTuple: ...
    def now_ms(self) -> int: ...
    def advance_ms(self, ms: int) -> None: ...
    @staticmethod
    def error_codes() -> List[str]: ...

def parse_layout(args_json: str) -> str: ...
