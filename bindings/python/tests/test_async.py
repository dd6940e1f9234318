"""Connecting releases the GIL; AsyncEngine opens and runs without stalling the event loop and
without a thread per call, on the memory store and on PostgreSQL."""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any, Awaitable, Callable, List, Optional, Tuple, TypeVar

import pytest

import booking_core as bc
from booking_core import AsyncEngine, Engine

from conftest import KEY, LAYOUT, T0

T = TypeVar("T")

# 240 seats: rows A to T, 1 to 12.
BIG_LAYOUT = "section Stalls category=standard\n" + "".join(f"row {r}: 1-12\n" for r in "ABCDEFGHIJKLMNOPQRST")


def database_url() -> str:
    # ./scripts/test-python runs with a database; without one this fails, never skips.
    url = os.environ.get("BOOKING_TEST_DATABASE_URL")
    assert url, "BOOKING_TEST_DATABASE_URL is not set (./scripts/test sets it)"
    return url


def fresh_schema(tag: str) -> str:
    """A schema of its own, so that connecting also creates and migrates it (the slow part)."""
    return f"bc_py_{tag}_{os.getpid()}_{time.monotonic_ns() % 10**12}"


class NoThreads(concurrent.futures.ThreadPoolExecutor):
    """A default executor that refuses work: AsyncEngine must never hand a call to a thread."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> concurrent.futures.Future[T]:
        raise AssertionError(f"AsyncEngine used the default executor for {fn!r}")


class Ticker:
    """A task that ticks every millisecond or two while the loop is free to run it."""

    def __init__(self) -> None:
        self.ticks: List[float] = []
        self.threads: List[int] = []
        self._task: Optional[asyncio.Task[None]] = None

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(0.001)
            self.ticks.append(time.monotonic())
            self.threads.append(threading.active_count())

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        assert self._task is not None
        self._task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await self._task

    def within(self, start: float, end: float) -> Tuple[int, float]:
        """How many ticks fell in [start, end], and the longest the loop went without one."""
        inside = [t for t in self.ticks if start <= t <= end]
        edges = [start] + inside + [end]
        return len(inside), max(b - a for a, b in zip(edges, edges[1:]))


async def timed(step: Awaitable[T]) -> Tuple[T, float, float]:
    start = time.monotonic()
    out = await step
    return out, start, time.monotonic()


def test_connecting_to_postgresql_releases_the_gil() -> None:
    # A heartbeat thread beats every millisecond; it needs the GIL to beat, so it beats while
    # the constructor connects and migrates only if the constructor let go of the GIL.
    beats: List[float] = []
    stop = threading.Event()

    def heartbeat() -> None:
        while not stop.is_set():
            time.sleep(0.001)
            beats.append(time.monotonic())

    thread = threading.Thread(target=heartbeat)
    thread.start()
    windows: List[Tuple[float, float]] = []
    try:
        # Until 150 ms were spent connecting: a connection to a fresh schema takes tens of ms.
        while sum(end - start for start, end in windows) < 0.15:
            start = time.monotonic()
            engine = Engine(KEY, database_url=database_url(), schema=fresh_schema("gil"), clock=T0)
            windows.append((start, time.monotonic()))
            engine.close()
    finally:
        stop.set()
        thread.join()
    spent = sum(end - start for start, end in windows)
    inside = sum(1 for b in beats for start, end in windows if start <= b <= end)
    # Held, the GIL would let through at most a beat or two per connection.
    assert inside >= max(20, spent / 0.001 * 0.3), (inside, len(windows), spent)


def test_async_engine_on_the_memory_store_answers_on_the_loop_thread() -> None:
    async def main() -> None:
        asyncio.get_running_loop().set_default_executor(NoThreads())
        threads = threading.active_count()
        engine = await AsyncEngine.open(KEY, clock=T0, holds_per_owner_max=2)
        theatre = await engine.create_theatre("Rex", "Lyon", "Europe/Paris")
        screen = await engine.add_screen(theatre.id, "Two", LAYOUT)
        start = T0 + timedelta(days=2)
        pricing = bc.simple_pricing("EUR", {"standard": 900})
        show = await engine.schedule_show(screen.id, "M", start, start + timedelta(hours=2), pricing, no_orphan=False)
        hold = await engine.hold(show.id, "ann", ["A1", "A2"])
        assert hold.seats == ("A1", "A2") and hold.quote.total.minor == 1800
        with pytest.raises(bc.SeatUnavailableError) as taken:
            await engine.hold(show.id, "bob", ("A2", "A3"))
        assert taken.value.seats == ["A2"]
        typed = await engine.hold(show.id, "bob", {"A5": None})
        assert (await engine.release_hold(typed.id, "bob")).id == typed.id
        booking = await engine.create_booking(hold.id, "ann", "c1")
        done = await engine.confirm_booking(booking.id, "ann", "psp", "p1")
        assert (await engine.check_in(done.tickets[0].code)).ticket.checked_in
        assert [e.kind for e in await engine.events_since(show.id)][:2] == ["show_scheduled", "hold_placed"]
        assert await engine.now() == T0 and (await engine.ticket_keys()).keys
        with pytest.raises(bc.NotFoundError):
            await engine.show(999)
        # The store answered every call at its first poll: no thread was started for any.
        assert threading.active_count() == threads
        async with engine:
            pass
        with pytest.raises(bc.StoreFailureError):
            await engine.theatres()

    asyncio.run(main())


def test_async_open_on_postgresql_keeps_the_loop_running() -> None:
    async def main() -> None:
        asyncio.get_running_loop().set_default_executor(NoThreads())
        ticker = Ticker()
        ticker.start()
        # Each open creates and migrates a schema of its own: until 150 ms were spent opening.
        spent, ticks, longest, engines = 0.0, 0, 0.0, []
        while spent < 0.15:
            engine, start, end = await timed(
                AsyncEngine.open(KEY, database_url=database_url(), schema=fresh_schema("open"), clock=T0)
            )
            engines.append(engine)
            n, gap = ticker.within(start, end)
            spent, ticks, longest = spent + end - start, ticks + n, max(longest, gap)
        await ticker.stop()
        assert ticks >= spent / 0.002 * 0.3, (ticks, spent)
        assert longest < 0.05, f"the loop stalled {longest * 1000:.0f} ms while an engine connected"
        engine = engines[-1]
        assert await engine.theatres() == []
        for e in engines:
            await e.close()
        with pytest.raises(bc.StoreFailureError):
            await engine.theatres()
        with pytest.raises(bc.StoreUnavailableError) as down:
            await AsyncEngine.open(KEY, database_url="postgres://nobody@127.0.0.1:9/none")
        assert down.value.retryable
        with pytest.raises(bc.InvalidInputError):
            await AsyncEngine.open(KEY, database_url=database_url(), schema="Bad-Name")

    asyncio.run(main())


@pytest.mark.parametrize("holds_on", ["postgresql", "redis"])
def test_two_hundred_holds_in_flight_at_once_through_async_engine(holds_on: str) -> None:
    redis_url = None
    if holds_on == "redis":
        redis_url = os.environ.get("BOOKING_TEST_REDIS_URL")
        assert redis_url, "BOOKING_TEST_REDIS_URL is not set (./scripts/test sets it)"

    async def main() -> None:
        loop = asyncio.get_running_loop()
        # Far more calls in flight than the default executor has threads, which AsyncEngine
        # must not use at all.
        workers = min(32, (os.cpu_count() or 1) + 4)
        loop.set_default_executor(NoThreads())
        engine = await AsyncEngine.open(
            KEY, database_url=database_url(), redis_url=redis_url, schema=fresh_schema(holds_on), clock=T0
        )
        theatre = await engine.create_theatre("Big", "Brest", "Europe/Paris")
        screen = await engine.add_screen(theatre.id, "Hall", BIG_LAYOUT)
        start = T0 + timedelta(days=3)
        pricing = bc.simple_pricing("EUR", {"standard": 500})
        show = await engine.schedule_show(screen.id, "M", start, start + timedelta(hours=2), pricing, no_orphan=False)
        seats = [f"{row}{n}" for row in "ABCDEFGHIJKLMNOPQRST" for n in range(1, 11)]
        assert len(seats) == 200

        in_flight, peak = 0, 0

        async def one(n: int, seat: str) -> bc.Hold:
            nonlocal in_flight, peak
            in_flight += 1
            peak = max(peak, in_flight)
            try:
                return await engine.hold(show.id, f"fan-{n}", [seat])
            finally:
                in_flight -= 1

        threads = threading.active_count()
        ticker = Ticker()
        ticker.start()
        await asyncio.sleep(0.01)
        holds, begin, end = await timed(asyncio.gather(*(one(n, s) for n, s in enumerate(seats))))
        # A second burst on the same seats: every one refused, each with its seat.
        refused, *_ = await timed(
            asyncio.gather(*(engine.hold(show.id, f"late-{n}", [s]) for n, s in enumerate(seats)), return_exceptions=True)
        )
        await ticker.stop()

        assert peak == 200 > workers
        assert sorted(s for h in holds for s in h.seats) == sorted(seats)
        assert all(isinstance(r, bc.SeatUnavailableError) and r.seats == [s] for r, s in zip(refused, seats))
        ticks, longest = ticker.within(begin, end)
        assert ticks >= 3 and longest < 0.25, f"{ticks} ticks, the loop stalled {longest * 1000:.0f} ms"
        # No Python thread was started for the calls (asyncio.to_thread would have started some).
        assert max(ticker.threads) == threads, (threads, max(ticker.threads))
        released = await asyncio.gather(*(engine.release_hold(h.id, f"fan-{n}") for n, h in enumerate(holds)))
        assert [r.id for r in released] == [h.id for h in holds]
        assert (await engine.seat_map(show.id)).available == 240
        await engine.close()

    asyncio.run(main())


def test_a_cancelled_call_leaves_the_engine_working() -> None:
    async def main() -> None:
        engine = await AsyncEngine.open(KEY, database_url=database_url(), schema=fresh_schema("cancel"), clock=T0)
        theatre = await engine.create_theatre("Rex", "Lyon", "Europe/Paris")
        screen = await engine.add_screen(theatre.id, "Two", LAYOUT)
        start = T0 + timedelta(days=2)
        pricing = bc.simple_pricing("EUR", {"standard": 900})
        show = await engine.schedule_show(screen.id, "M", start, start + timedelta(hours=2), pricing, no_orphan=False)
        call = asyncio.ensure_future(engine.hold(show.id, "ann", ["A1"]))
        await asyncio.sleep(0)
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
        # The hold went ahead or not; either way the engine answers on.
        hold = await engine.hold(show.id, "bob", ["B1"])
        assert hold.seats == ("B1",)
        await engine.close()

    asyncio.run(main())


def test_the_blocking_constructor_still_gives_an_async_engine() -> None:
    async def main() -> None:
        engine = AsyncEngine(KEY, clock=T0)
        assert await engine.theatres() == []
        face = AsyncEngine.wrapping(Engine(KEY, clock=T0))
        assert (await face.create_theatre("A", "B", "Europe/Paris")).name == "A"
        await engine.close()

    asyncio.run(main())


def test_the_native_stub_matches_the_module() -> None:
    # _native.pyi is what mypy checks the package against: every class, method and function of
    # the native module is in it, with the same parameters, and nothing else is.
    import ast
    import inspect

    from booking_core import _native

    stub = ast.parse((Path(_native.__file__).parent / "_native.pyi").read_text())

    def params(f: ast.FunctionDef) -> List[str]:
        names = [a.arg for a in f.args.posonlyargs + f.args.args + f.args.kwonlyargs]
        return [n for n in names if n != "self"]

    def native_params(obj: Any) -> List[str]:
        return [n for n in inspect.signature(obj).parameters if n != "self"]

    functions = {n.name: n for n in stub.body if isinstance(n, ast.FunctionDef)}
    classes = {n.name: n for n in stub.body if isinstance(n, ast.ClassDef)}
    assert set(functions) == {"parse_layout", "verify_ticket"}
    for name, f in functions.items():
        assert params(f) == native_params(getattr(_native, name)), name
    assert set(classes) == {"Engine", "LazyView", "NativeError"}
    for cls_name in ("Engine", "LazyView"):
        cls = getattr(_native, cls_name)
        methods = {m.name: m for m in classes[cls_name].body if isinstance(m, ast.FunctionDef)}
        native = {m for m in dir(cls) if not m.startswith("__") or m == "__getitem__"}
        assert set(methods) - {"__init__"} == native, (cls_name, set(methods) ^ native)
        for name, m in methods.items():
            if name == "__init__":
                assert params(m) == native_params(cls), cls_name
            elif name != "__getitem__":
                assert params(m) == native_params(getattr(cls, name)), (cls_name, name)
