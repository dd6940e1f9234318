"""Type stub of the native module (see src/lib.rs); use the `booking_core` package instead."""

import asyncio
from typing import Any, Callable, Dict, List, Optional

Settle = Callable[[Optional[BaseException], Any], None]
"""`settle(error, value)`: how a `*_async` call that had to wait hands over its answer, scheduled
on the event loop with `call_soon_threadsafe` (`error` a `NativeError` or None)."""

class LazyView:
    """A view built when a field of it is first read; read like a decoded JSON object."""

    def __getitem__(self, key: str) -> Any: ...
    def get(self, key: str, default: Any = ...) -> Any: ...
    def to_dict(self) -> Dict[str, Any]: ...

class NativeError(Exception):
    """A refused call: args are (code, message, details_json)."""

class Engine:
    """The native engine. Each `*_async` method answers at once when the call was done at its
    first poll, else None, and later hands the answer to `settle` on `event_loop`."""

    def __init__(
        self,
        signing_key: bytes,
        database_url: Optional[str] = ...,
        manual_start_ms: Optional[int] = ...,
        config_json: Optional[str] = ...,
        redis_url: Optional[str] = ...,
        schema: Optional[str] = ...,
        connect: bool = ...,
    ) -> None: ...
    def connect_async(self, event_loop: asyncio.AbstractEventLoop, settle: Settle) -> Optional[bool]: ...
    def call(self, op: str, args_json: str) -> str: ...
    def call_async(
        self, op: str, args_json: str, event_loop: asyncio.AbstractEventLoop, settle: Settle
    ) -> Optional[str]: ...
    def close(self) -> None: ...
    def close_async(self, event_loop: asyncio.AbstractEventLoop, settle: Settle) -> Optional[bool]: ...
    def hold(self, show: int, owner: str, seats: List[str], promo_code: Optional[str] = ...) -> LazyView: ...
    def hold_async(
        self,
        show: int,
        owner: str,
        seats: List[str],
        promo_code: Optional[str],
        event_loop: asyncio.AbstractEventLoop,
        settle: Settle,
    ) -> Optional[LazyView]: ...
    def release_hold(self, hold: int, owner: Optional[str] = ..., fence: Optional[int] = ...) -> LazyView: ...
    def release_hold_async(
        self,
        hold: int,
        owner: Optional[str],
        fence: Optional[int],
        event_loop: asyncio.AbstractEventLoop,
        settle: Settle,
    ) -> Optional[LazyView]: ...
    def now_ms(self) -> int: ...
    def advance_ms(self, ms: int) -> None: ...
    @staticmethod
    def error_codes() -> List[str]: ...

def parse_layout(args_json: str) -> str: ...
def verify_ticket(args_json: str) -> str: ...
