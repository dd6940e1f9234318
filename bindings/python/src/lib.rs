//! The native half of the Python binding: an engine whose operations take and give JSON.
//!
//! Python code never sees this module directly: `booking_core` (in `python/booking_core/`) wraps
//! it with typed methods, dataclasses, `datetime` and `timedelta` conversions and the exception
//! hierarchy. Keeping the native surface to one call per engine (`call(op, args_json)`) keeps
//! every type conversion in one place on each side, and every error on one path: a refusal
//! becomes `NativeError(code, message, details_json)`, and a Rust panic is caught and becomes
//! `NativeError("STORE_FAILURE", ...)`, never a Python `PanicException`.
//!
//! Each blocking call releases the GIL while the engine works (connecting and migrating too), so
//! Python threads run calls side by side. The `*_async` calls serve asyncio without a thread per
//! call (see `awaitable`).

mod awaitable;
mod errors;

use booking_core::{
    Actor, BookingEngine, BookingError, Clock, EngineConfig, HoldId, HoldRequest, ManualClock, OwnerId,
    SeatChoice, ShowId, SystemClock, TicketSigner, Timestamp,
};
use booking_front::{StoreConfig, poll_once};
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use std::future::Future;
use std::sync::{Arc, OnceLock, PoisonError, RwLock};
use std::task::Poll;

create_exception!(
    _native,
    NativeError,
    PyException,
    "A refused call: args are (code, message, details_json)."
);

/// An engine on the memory store or on PostgreSQL, with its own runtime.
#[pyclass(module = "booking_core._native", frozen)]
struct Engine {
    /// Where the engine stands; shared with a connection under way.
    state: Arc<State>,
    manual: Option<ManualClock>,
    runtime: Runtime,
}

/// The engine's tokio runtime, shut down without waiting when the engine is dropped: a runtime
/// thread may be waiting for the GIL to hand an answer to asyncio while the thread dropping the
/// engine holds it, and waiting for that thread would deadlock.
struct Runtime {
    handle: tokio::runtime::Handle,
    owner: Option<tokio::runtime::Runtime>,
}

impl Drop for Runtime {
    fn drop(&mut self) {
        if let Some(runtime) = self.owner.take() {
            runtime.shutdown_background();
        }
    }
}

/// What connecting needs, kept from the constructor until `connect_async` when the engine is
/// made without connecting.
struct Setup {
    store: StoreConfig,
    signer: TicketSigner,
    config: EngineConfig,
    clock: Arc<dyn Clock>,
}

/// Where an engine stands.
enum Phase {
    /// Made with `connect=False`.
    Unconnected(Box<Setup>),
    Connecting,
    Open(Arc<BookingEngine>),
    Closed,
}

/// An engine's phase and PostgreSQL pool, shared with the task connecting it.
struct State {
    phase: RwLock<Phase>,
    /// PostgreSQL's pool once connected, closed with the engine.
    pool: OnceLock<sqlx::PgPool>,
}

fn store_failure(message: &str) -> BookingError {
    BookingError::StoreFailure { message: message.into() }
}

impl State {
    /// Takes what connecting needs; refused once connecting began.
    fn begin_connect(&self) -> Result<Box<Setup>, BookingError> {
        let mut phase = self.phase.write().unwrap_or_else(PoisonError::into_inner);
        match std::mem::replace(&mut *phase, Phase::Connecting) {
            Phase::Unconnected(setup) => Ok(setup),
            other => {
                *phase = other;
                Err(store_failure("the engine is already connected"))
            }
        }
    }

    /// Opens the store (connecting and migrating on PostgreSQL) and the engine on it. An engine
    /// closed meanwhile stays closed, and its new pool is closed too.
    async fn connect(self: Arc<Self>, setup: Box<Setup>) -> Result<(), BookingError> {
        let opened = match booking_front::open_store(&setup.store).await {
            Ok(opened) => opened,
            Err(e) => {
                *self.phase.write().unwrap_or_else(PoisonError::into_inner) = Phase::Closed;
                return Err(e);
            }
        };
        let made = BookingEngine::new(opened.store, setup.clock, setup.signer, setup.config);
        let refused = {
            let mut phase = self.phase.write().unwrap_or_else(PoisonError::into_inner);
            match (made, &*phase) {
                (Ok(engine), Phase::Connecting) => {
                    if let Some(pool) = &opened.pool {
                        let _ = self.pool.set(pool.clone());
                    }
                    *phase = Phase::Open(Arc::new(engine));
                    None
                }
                (Ok(_), _) => Some(store_failure("the engine was closed while it connected")),
                (Err(e), _) => {
                    *phase = Phase::Closed;
                    Some(e)
                }
            }
        };
        match refused {
            None => Ok(()),
            Some(e) => {
                if let Some(pool) = opened.pool {
                    pool.close().await;
                }
                Err(e)
            }
        }
    }

    /// The open engine, or `STORE_FAILURE` before it is connected and once it is closed.
    fn engine(&self) -> Result<Arc<BookingEngine>, BookingError> {
        match &*self.phase.read().unwrap_or_else(PoisonError::into_inner) {
            Phase::Open(engine) => Ok(engine.clone()),
            Phase::Unconnected(_) | Phase::Connecting => {
                Err(store_failure("the engine is not connected yet"))
            }
            Phase::Closed => Err(store_failure("the engine is closed")),
        }
    }

    /// Closes the engine; answers the pool to close, if any.
    fn close(&self) -> Option<sqlx::PgPool> {
        *self.phase.write().unwrap_or_else(PoisonError::into_inner) = Phase::Closed;
        self.pool.get().cloned()
    }
}

fn native_error(code: &str, message: impl Into<String>, details: String) -> PyErr {
    NativeError::new_err((code.to_string(), message.into(), details))
}

/// The actor for `owner`: the owner by name, or staff when absent.
fn actor(owner: Option<&str>) -> PyResult<Actor> {
    match owner {
        Some(o) => Ok(Actor::Owner(
            OwnerId::new(o).map_err(|e| errors::to_py(&BookingError::invalid("owner", e.to_string())))?,
        )),
        None => Ok(Actor::Staff),
    }
}

/// A hold request by seat labels.
fn hold_request(
    show: u64,
    owner: &str,
    seats: &[String],
    promo_code: Option<String>,
) -> PyResult<HoldRequest> {
    let owner =
        OwnerId::new(owner).map_err(|e| errors::to_py(&BookingError::invalid("owner", e.to_string())))?;
    let seats = seats.iter().map(|l| SeatChoice::new(l)).collect();
    Ok(HoldRequest { places: Vec::new(), show: ShowId(show), owner, seats, promo_code, accessible: false })
}

#[pymethods]
impl Engine {
    /// `Engine(signing_key, database_url=None, manual_start_ms=None, config_json=None, redis_url=None,
    /// schema=None, connect=True)`: connecting and migrating release the GIL. With
    /// `connect=False` nothing is opened yet: `connect_async` does it.
    #[new]
    #[pyo3(signature = (signing_key, database_url=None, manual_start_ms=None, config_json=None, redis_url=None, schema=None, connect=true))]
    #[expect(clippy::too_many_arguments, reason = "the Python constructor's keywords, one each")]
    fn new(
        py: Python<'_>,
        signing_key: &[u8],
        database_url: Option<String>,
        manual_start_ms: Option<i64>,
        config_json: Option<&str>,
        redis_url: Option<String>,
        schema: Option<String>,
        connect: bool,
    ) -> PyResult<Self> {
        let config: EngineConfig = match config_json {
            Some(json) => serde_json::from_str(json).map_err(|e| {
                native_error("INVALID_INPUT", format!("config: {e}"), errors::field("config", &e.to_string()))
            })?,
            None => EngineConfig::default(),
        };
        // Refused before connecting, not after.
        config.validate().map_err(|e| errors::to_py(&e))?;
        let signer = TicketSigner::new(signing_key).map_err(|e| errors::to_py(&e))?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| native_error("STORE_FAILURE", format!("runtime: {e}"), "{}".into()))?;
        let runtime = Runtime { handle: runtime.handle().clone(), owner: Some(runtime) };
        let manual = manual_start_ms.map(|ms| ManualClock::new(Timestamp(ms)));
        let clock: Arc<dyn Clock> = match &manual {
            Some(m) => Arc::new(m.clone()),
            None => Arc::new(SystemClock),
        };
        let store = StoreConfig { database_url, redis_url, schema, ..StoreConfig::default() };
        let setup = Box::new(Setup { store, signer, config, clock });
        let state = Arc::new(State { phase: RwLock::new(Phase::Unconnected(setup)), pool: OnceLock::new() });
        let engine = Engine { state, manual, runtime };
        if connect {
            let setup = engine.state.begin_connect().map_err(|e| errors::to_py(&e))?;
            let state = engine.state.clone();
            let handle = &engine.runtime.handle;
            py.detach(|| booking_front::guard("connect", || handle.block_on(state.connect(setup))))
                .map_err(|e| errors::to_py(&e))?;
        }
        Ok(engine)
    }

    /// Connects an engine made with `connect=False`, for asyncio: `True` at once when the store
    /// opens without waiting (memory), else `None` and `settle(error, True)` on `event_loop` once
    /// connected (see `call_async`).
    fn connect_async(
        &self,
        py: Python<'_>,
        event_loop: Py<PyAny>,
        settle: Py<PyAny>,
    ) -> PyResult<Option<Py<PyAny>>> {
        let setup = self.state.begin_connect().map_err(|e| errors::to_py(&e))?;
        let state = self.state.clone();
        let connect = async move { state.connect(setup).await.map(|()| true) };
        awaitable::submit(py, &self.runtime.handle, "connect", connect, event_loop, settle)
    }

    /// Runs operation `op` with its arguments as a JSON object; returns the answer as JSON.
    fn call(&self, py: Python<'_>, op: &str, args_json: &str) -> PyResult<String> {
        let engine = self.engine()?;
        self.run(py, op, async move { booking_front::by_name::call(&engine, op, args_json).await })
    }

    /// `call` for asyncio: the answer at once when the call is done at its first poll (or its
    /// error raised), else `None`, and later, from a runtime thread,
    /// `event_loop.call_soon_threadsafe(settle, error, value)`: `error` a `NativeError` or
    /// `None`, `value` the answer or `None`. No thread waits for the call meanwhile.
    fn call_async(
        &self,
        py: Python<'_>,
        op: &str,
        args_json: String,
        event_loop: Py<PyAny>,
        settle: Py<PyAny>,
    ) -> PyResult<Option<Py<PyAny>>> {
        let engine = self.engine()?;
        let name = op.to_owned();
        let call = async move { booking_front::by_name::call(&engine, &name, &args_json).await };
        awaitable::submit(py, &self.runtime.handle, op, call, event_loop, settle)
    }

    /// Closes the engine: later calls fail with `STORE_FAILURE`; a PostgreSQL pool is closed
    /// once the calls in flight are done. Closing twice does nothing more.
    fn close(&self, py: Python<'_>) {
        if let Some(pool) = self.state.close() {
            py.detach(|| self.runtime.handle.block_on(pool.close()));
        }
    }

    /// `close` for asyncio (see `call_async`): the pool closes without blocking the loop.
    fn close_async(
        &self,
        py: Python<'_>,
        event_loop: Py<PyAny>,
        settle: Py<PyAny>,
    ) -> PyResult<Option<Py<PyAny>>> {
        let pool = self.state.close();
        let close = async move {
            if let Some(pool) = pool {
                pool.close().await;
            }
            Ok(true)
        };
        awaitable::submit(py, &self.runtime.handle, "close", close, event_loop, settle)
    }

    /// Holds seats by label: the hot path, with no JSON either way. Answers the hold's view,
    /// built when a field of it is first read.
    #[pyo3(signature = (show, owner, seats, promo_code=None))]
    fn hold(
        &self,
        py: Python<'_>,
        show: u64,
        owner: &str,
        seats: Vec<String>,
        promo_code: Option<String>,
    ) -> PyResult<LazyView> {
        let req = hold_request(show, owner, &seats, promo_code)?;
        let engine = self.engine()?;
        let hold = self.run(py, "hold", async move { engine.hold(req).await })?;
        let now = hold.placed_at;
        Ok(LazyView::of_hold(hold, now))
    }

    /// `hold` for asyncio (see `call_async`).
    #[expect(clippy::too_many_arguments, reason = "`hold`'s arguments, and the loop and settle")]
    fn hold_async(
        &self,
        py: Python<'_>,
        show: u64,
        owner: &str,
        seats: Vec<String>,
        promo_code: Option<String>,
        event_loop: Py<PyAny>,
        settle: Py<PyAny>,
    ) -> PyResult<Option<Py<PyAny>>> {
        let req = hold_request(show, owner, &seats, promo_code)?;
        let engine = self.engine()?;
        let call = async move {
            let hold = engine.hold(req).await?;
            let now = hold.placed_at;
            Ok(LazyView::of_hold(hold, now))
        };
        awaitable::submit(py, &self.runtime.handle, "hold", call, event_loop, settle)
    }

    /// Releases a hold: the hot path, with no JSON either way. Answers the hold's view, built
    /// when a field of it is first read.
    #[pyo3(signature = (hold, owner=None, fence=None))]
    fn release_hold(
        &self,
        py: Python<'_>,
        hold: u64,
        owner: Option<&str>,
        fence: Option<u64>,
    ) -> PyResult<LazyView> {
        let actor = actor(owner)?;
        let engine = self.engine()?;
        let (hold, now) = self.run(py, "release_hold", async move {
            let hold = engine.release_hold(HoldId(hold), actor, fence).await?;
            Ok((hold, engine.now()))
        })?;
        Ok(LazyView::of_hold(hold, now))
    }

    /// `release_hold` for asyncio (see `call_async`).
    fn release_hold_async(
        &self,
        py: Python<'_>,
        hold: u64,
        owner: Option<&str>,
        fence: Option<u64>,
        event_loop: Py<PyAny>,
        settle: Py<PyAny>,
    ) -> PyResult<Option<Py<PyAny>>> {
        let actor = actor(owner)?;
        let engine = self.engine()?;
        let call = async move {
            let hold = engine.release_hold(HoldId(hold), actor, fence).await?;
            Ok(LazyView::of_hold(hold, engine.now()))
        };
        awaitable::submit(py, &self.runtime.handle, "release_hold", call, event_loop, settle)
    }

    /// Now, by the engine's clock, in milliseconds since the Unix epoch.
    fn now_ms(&self) -> PyResult<i64> {
        Ok(self.engine()?.now().millis())
    }

    /// Moves a manual clock forward; refused for the system clock.
    fn advance_ms(&self, ms: i64) -> PyResult<()> {
        match (&self.manual, ms >= 0) {
            (Some(clock), true) => {
                clock.advance_millis(ms);
                Ok(())
            }
            (Some(_), false) => Err(native_error(
                "INVALID_INPUT",
                "by: must not be negative",
                errors::field("by", "must not be negative"),
            )),
            (None, _) => Err(native_error(
                "INVALID_INPUT",
                "clock: only a manual clock can be moved",
                errors::field("clock", "only a manual clock can be moved"),
            )),
        }
    }

    /// Every error code the engine can raise, for the Python side to check its hierarchy against.
    #[staticmethod]
    fn error_codes() -> Vec<&'static str> {
        booking_core::ErrorCode::ALL.iter().map(|c| c.as_str()).collect()
    }
}

impl Engine {
    /// The engine, or `STORE_FAILURE` before it is connected and once it is closed.
    fn engine(&self) -> PyResult<Arc<BookingEngine>> {
        self.state.engine().map_err(|e| errors::to_py(&e))
    }

    /// Runs an engine call with the GIL released, turning errors and panics into `NativeError`.
    ///
    /// The memory store answers at once: one poll on this thread (booking-front's `poll_once`),
    /// inside the runtime's context, finishes most calls without a trip through the scheduler; a
    /// call that waits on I/O goes on in `block_on`. A panic is booking-front's `STORE_FAILURE`.
    fn run<T: Send>(
        &self,
        py: Python<'_>,
        op: &str,
        call: impl Future<Output = Result<T, BookingError>> + Send,
    ) -> PyResult<T> {
        let handle = &self.runtime.handle;
        py.detach(|| {
            booking_front::guard(op, || {
                let _context = handle.enter();
                let mut call = std::pin::pin!(call);
                match poll_once(call.as_mut()) {
                    Poll::Ready(answer) => answer,
                    Poll::Pending => handle.block_on(call),
                }
            })
        })
        .map_err(|e| errors::to_py(&e))
    }
}

/// A view the hot path answers: booking-front's view, built (as JSON values) the first time a
/// field is read, then kept. The Python view classes read it as they read a decoded JSON object
/// (`view["id"]`, `view.get("payment_ref")`), so a rush that only reads a hold's id never
/// builds its quote.
///
/// A hold's `id` and `fence`, which a rush reads to release or book it, are kept beside it so
/// that reading them builds nothing; the tests check they are the view's.
#[pyclass(module = "booking_core._native", frozen)]
struct LazyView {
    ready: [(&'static str, i64); 2],
    build: Box<dyn Fn() -> serde_json::Value + Send + Sync>,
    value: std::sync::OnceLock<serde_json::Value>,
}

impl LazyView {
    fn of<V: serde::Serialize>(
        ready: [(&'static str, i64); 2],
        view: impl Fn() -> V + Send + Sync + 'static,
    ) -> LazyView {
        LazyView {
            ready,
            build: Box::new(move || serde_json::to_value(view()).unwrap_or(serde_json::Value::Null)),
            value: std::sync::OnceLock::new(),
        }
    }

    /// The `id` and `fence` of a hold's view, read off the hold.
    fn of_hold(hold: booking_core::Hold, now: booking_core::Timestamp) -> LazyView {
        let num = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        let ready = [("id", num(hold.id.0)), ("fence", num(hold.fence))];
        LazyView::of(ready, move || booking_front::Hold::new(&hold, now))
    }

    fn value(&self) -> &serde_json::Value {
        self.value.get_or_init(|| (self.build)())
    }
}

#[pymethods]
impl LazyView {
    fn __getitem__<'py>(&self, py: Python<'py>, key: &str) -> PyResult<Bound<'py, PyAny>> {
        use pyo3::IntoPyObjectExt;
        if let Some((_, v)) = self.ready.iter().find(|(k, _)| *k == key) {
            return v.into_bound_py_any(py);
        }
        match self.value().get(key) {
            Some(v) => to_python(py, v),
            None => Err(pyo3::exceptions::PyKeyError::new_err(key.to_string())),
        }
    }

    #[pyo3(signature = (key, default=None))]
    fn get<'py>(
        &self,
        py: Python<'py>,
        key: &str,
        default: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        match self.value().get(key) {
            Some(v) => to_python(py, v),
            None => Ok(default.unwrap_or_else(|| py.None().into_bound(py))),
        }
    }

    /// The whole view as plain dicts and lists.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, self.value())
    }
}

/// A JSON value as the Python object `json.loads` would give.
fn to_python<'py>(py: Python<'py>, v: &serde_json::Value) -> PyResult<Bound<'py, PyAny>> {
    use pyo3::IntoPyObjectExt;
    use serde_json::Value;
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_bound_py_any(py)?,
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_bound_py_any(py)?,
            (None, Some(u)) => u.into_bound_py_any(py)?,
            _ => n.as_f64().unwrap_or(f64::NAN).into_bound_py_any(py)?,
        },
        Value::String(s) => s.into_bound_py_any(py)?,
        Value::Array(items) => {
            let list = pyo3::types::PyList::empty(py);
            for item in items {
                list.append(to_python(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = pyo3::types::PyDict::new(py);
            for (k, item) in map {
                dict.set_item(k, to_python(py, item)?)?;
            }
            dict.into_any()
        }
    })
}

/// Parses a layout (`{"text": ...}` or `{"json": ...}`) without an engine; answers its JSON view.
#[pyfunction]
fn parse_layout(py: Python<'_>, args_json: &str) -> PyResult<String> {
    py.detach(|| booking_front::by_name::parse_layout(args_json)).map_err(|e| errors::to_py(&e))
}

/// Verifies a ticket code offline (`{"code": ..., "public_keys": [...]}`); answers its claims.
#[pyfunction]
fn verify_ticket(py: Python<'_>, args_json: &str) -> PyResult<String> {
    py.detach(|| booking_front::by_name::verify_ticket(args_json)).map_err(|e| errors::to_py(&e))
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Engine>()?;
    m.add_class::<LazyView>()?;
    m.add_function(wrap_pyfunction!(parse_layout, m)?)?;
    m.add_function(wrap_pyfunction!(verify_ticket, m)?)?;
    m.add("NativeError", m.py().get_type::<NativeError>())?;
    Ok(())
}
