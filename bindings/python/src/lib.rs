//! The native half of the Python binding: an engine whose operations take and give JSON.
//!
//! Python code never sees this module directly: `booking_core` (in `python/booking_core/`) wraps
//! it with typed methods, dataclasses, `datetime` and `timedelta` conversions and the exception
//! hierarchy. Keeping the native surface to one call per engine (`call(op, args_json)`) keeps
//! every type conversion in one place on each side, and every error on one path: a refusal
//! becomes `NativeError(code, message, details_json)`, and a Rust panic is caught and becomes
//! `NativeError("STORE_FAILURE", ...)`, never a Python `PanicException`.
//!
//! Each call releases the GIL while the engine works, so Python threads (and `asyncio.to_thread`)
//! run calls side by side.

mod dispatch;
mod errors;

use booking_core::{
    Actor, BookingEngine, BookingError, Clock, EngineConfig, Hold, HoldId, HoldRequest, ManualClock, OwnerId,
    Quote, SeatChoice, ShowId, SystemClock, TicketSigner, Timestamp,
};
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use std::future::Future;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

create_exception!(
    _native,
    NativeError,
    PyException,
    "A refused call: args are (code, message, details_json)."
);

/// An engine on the memory store or on PostgreSQL, with its own runtime.
#[pyclass(module = "booking_core._native", frozen)]
struct Engine {
    engine: Arc<BookingEngine>,
    manual: Option<ManualClock>,
    runtime: tokio::runtime::Runtime,
}

fn native_error(code: &str, message: impl Into<String>, details: String) -> PyErr {
    NativeError::new_err((code.to_string(), message.into(), details))
}

#[pymethods]
impl Engine {
    /// `Engine(signing_key, database_url=None, manual_start_ms=None, config_json=None, redis_url=None)`.
    #[new]
    #[pyo3(signature = (signing_key, database_url=None, manual_start_ms=None, config_json=None, redis_url=None))]
    fn new(
        signing_key: &[u8],
        database_url: Option<&str>,
        manual_start_ms: Option<i64>,
        config_json: Option<&str>,
        redis_url: Option<&str>,
    ) -> PyResult<Self> {
        let config: EngineConfig = match config_json {
            Some(json) => serde_json::from_str(json).map_err(|e| {
                native_error("INVALID_INPUT", format!("config: {e}"), errors::field("config", &e.to_string()))
            })?,
            None => EngineConfig::default(),
        };
        let signer = TicketSigner::new(signing_key).map_err(|e| errors::to_py(&e))?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| native_error("STORE_FAILURE", format!("runtime: {e}"), "{}".into()))?;
        let store = runtime
            .block_on(booking_redis::open_store(database_url, redis_url))
            .map_err(|e| errors::to_py(&BookingError::from(e)))?;
        let manual = manual_start_ms.map(|ms| ManualClock::new(Timestamp(ms)));
        let clock: Arc<dyn Clock> = match &manual {
            Some(m) => Arc::new(m.clone()),
            None => Arc::new(SystemClock),
        };
        let engine = BookingEngine::new(store, clock, signer, config).map_err(|e| errors::to_py(&e))?;
        Ok(Engine { engine: Arc::new(engine), manual, runtime })
    }

    /// Runs operation `op` with its arguments as a JSON object; returns the answer as JSON.
    fn call(&self, py: Python<'_>, op: &str, args_json: &str) -> PyResult<String> {
        let engine = self.engine.clone();
        self.run(py, op, async move { dispatch::dispatch(&engine, op, args_json).await })
    }

    /// Holds seats by label: the hot path, without JSON. Answers
    /// `(id, show, owner, seats, placed_ms, expires_ms, max_expires_ms, fence, quote)`.
    #[pyo3(signature = (show, owner, seats, promo_code=None))]
    fn hold<'py>(
        &self,
        py: Python<'py>,
        show: u64,
        owner: &str,
        seats: Vec<String>,
        promo_code: Option<String>,
    ) -> PyResult<HoldTuple<'py>> {
        let owner =
            OwnerId::new(owner).map_err(|e| errors::to_py(&BookingError::invalid("owner", e.to_string())))?;
        let seats = seats.iter().map(|l| SeatChoice::new(l)).collect();
        let req = HoldRequest { show: ShowId(show), owner, seats, promo_code };
        let engine = self.engine.clone();
        hold_tuple(py, self.run(py, "hold", async move { engine.hold(req).await })?)
    }

    /// Releases a hold: the hot path, without JSON. Answers the same tuple as `hold`.
    #[pyo3(signature = (hold, owner=None, fence=None))]
    fn release_hold<'py>(
        &self,
        py: Python<'py>,
        hold: u64,
        owner: Option<&str>,
        fence: Option<u64>,
    ) -> PyResult<HoldTuple<'py>> {
        let actor = match owner {
            Some(o) => Actor::Owner(
                OwnerId::new(o).map_err(|e| errors::to_py(&BookingError::invalid("owner", e.to_string())))?,
            ),
            None => Actor::Staff,
        };
        let engine = self.engine.clone();
        hold_tuple(
            py,
            self.run(
                py,
                "release_hold",
                async move { engine.release_hold(HoldId(hold), actor, fence).await },
            )?,
        )
    }

    /// Now, by the engine's clock, in milliseconds since the Unix epoch.
    fn now_ms(&self) -> i64 {
        self.engine.now().millis()
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
    /// Runs an engine call with the GIL released, turning errors and panics into `NativeError`.
    ///
    /// The memory store answers at once: one poll on this thread, inside the runtime's context,
    /// finishes most calls without a trip through the scheduler; a call that waits on I/O goes on
    /// in `block_on`.
    fn run<T: Send>(
        &self,
        py: Python<'_>,
        op: &str,
        call: impl Future<Output = Result<T, BookingError>> + Send,
    ) -> PyResult<T> {
        let outcome = py.detach(|| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let _context = self.runtime.enter();
                let mut call = std::pin::pin!(call);
                match call.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
                    Poll::Ready(answer) => answer,
                    Poll::Pending => self.runtime.block_on(call),
                }
            }))
        });
        match outcome {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => Err(errors::to_py(&e)),
            Err(panic) => {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown panic".into());
                Err(native_error("STORE_FAILURE", format!("internal error in {op}: {what}"), "{}".into()))
            }
        }
    }
}

/// A hold as the hot path gives it: `(id, show, owner, seats, placed_ms, expires_ms,
/// max_expires_ms, fence, quote)`.
type HoldTuple<'py> = (u64, u64, String, Bound<'py, PyTuple>, i64, i64, i64, u64, QuoteRef);

fn hold_tuple(py: Python<'_>, h: Hold) -> PyResult<HoldTuple<'_>> {
    Ok((
        h.id.0,
        h.show.0,
        h.owner.as_str().to_string(),
        PyTuple::new(py, h.seats.iter().map(|s| s.0))?,
        h.placed_at.millis(),
        h.expires_at.millis(),
        h.max_expires_at.millis(),
        h.fence,
        QuoteRef(h.quote),
    ))
}

/// A quote kept native until Python reads it (`json()`), so that a hold costs no encoding.
#[pyclass(module = "booking_core._native", frozen)]
struct QuoteRef(Arc<Quote>);

#[pymethods]
impl QuoteRef {
    /// The quote in its JSON form.
    fn json(&self) -> PyResult<String> {
        serde_json::to_string(&*self.0)
            .map_err(|e| native_error("STORE_FAILURE", format!("quote: {e}"), "{}".into()))
    }
}

/// Parses a layout (`{"text": ...}` or `{"json": ...}`) without an engine; answers its JSON view.
#[pyfunction]
fn parse_layout(py: Python<'_>, args_json: &str) -> PyResult<String> {
    py.detach(|| dispatch::parse_layout(args_json)).map_err(|e| errors::to_py(&e))
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Engine>()?;
    m.add_class::<QuoteRef>()?;
    m.add_function(wrap_pyfunction!(parse_layout, m)?)?;
    m.add("NativeError", m.py().get_type::<NativeError>())?;
    Ok(())
}
