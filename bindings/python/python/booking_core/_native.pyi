"""Type stub of the native module (see src/lib.rs); use the `booking_core` package instead."""

from typing import List, Optional

class NativeError(Exception):
    """A refused call: args are (code, message, details_json)."""

class Engine:
    def __init__(
        self,
        signing_key: bytes,
        database_url: Optional[str] = ...,
        manual_start_ms: Optional[int] = ...,
        config_json: Optional[str] = ...,
    ) -> None: ...
    def call(self, op: str, args_json: str) -> str: ...
    def now_ms(self) -> int: ...
    def advance_ms(self, ms: int) -> None: ...
    @staticmethod
    def error_codes() -> List[str]: ...

def parse_layout(args_json: str) -> str: ...
