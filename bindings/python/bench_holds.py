"""Holds + releases per second from Python, one thread, in-memory store.

Run (release build): `cd bindings/python && maturin develop --release && python bench_holds.py`
"""

from __future__ import annotations

import statistics
import time
from datetime import datetime, timedelta, timezone

from booking_core import Engine, simple_pricing

T0 = datetime(2030, 1, 1, tzinfo=timezone.utc)
ROUNDS, PAIRS = 5, 20_000


def main() -> None:
    engine = Engine(b"bench-signing-key-of-32-bytes...", clock=T0, holds_per_owner_max=1_000)
    theatre = engine.create_theatre("Bench", "Lyon", "Europe/Paris")
    rows = "".join(f"row {chr(65 + r)}: 1-25\n" for r in range(20))
    screen = engine.add_screen(theatre.id, "Main", "section Main category=standard\n" + rows)
    start = T0 + timedelta(days=1)
    show = engine.schedule_show(
        screen.id, "Bench", start, start + timedelta(hours=2), simple_pricing("EUR", {"standard": 1000}), no_orphan=False
    )
    seats = [["A10", "A11", "A12", "A13"], ["B10", "B11", "B12", "B13"]]
    rates = []
    for _ in range(ROUNDS):
        began = time.perf_counter()
        for i in range(PAIRS):
            hold = engine.hold(show.id, "bench", seats[i % 2])
            engine.release_hold(hold.id, "bench")
        rates.append(PAIRS / (time.perf_counter() - began))
    print(f"hold + release of 4 seats from Python, 1 thread: median {statistics.median(rates):,.0f} pairs/s "
          f"(rounds: {', '.join(f'{r:,.0f}' for r in rates)})")


if __name__ == "__main__":
    main()
