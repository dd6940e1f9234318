//! The server's state, how it is built from a [`Config`], and how it starts and stops.

use crate::admission::Admission;
use crate::auth::{TokenKeys, hash_password};
use crate::config::{Config, Mode};
use crate::directory::{DynDirectory, NewUser, Role};
use crate::directory_memory::MemoryDirectory;
use crate::directory_pg::PgDirectory;
use crate::edge::RequestIds;
use crate::live::LiveHub;
use crate::metrics::Metrics;
use crate::notify::Notifiers;
use crate::payments::{NoGateway, PaymentGateway, SimulatedGateway, TimedGateway};
use crate::public_ids::PublicIds;
use crate::ratelimit::RateLimits;
use crate::seat_map_json::SeatMapRenderer;
use crate::secrets;
use crate::sessions::{DynSessions, MemorySessions, PgSessions};
use booking_core::{BookingEngine, Clock, DynStore, EngineConfig, SystemClock, TicketKey, TicketSigner};
use booking_front::{StoreConfig, open_store};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Everything a request handler reaches.
pub struct AppState {
    /// The booking engine over the store.
    pub engine: BookingEngine,
    /// Accounts, movies, notifications.
    pub directory: DynDirectory,
    /// Access tokens.
    pub tokens: TokenKeys,
    /// Sign-in state every instance shares (`sessions.rs`).
    pub sessions: DynSessions,
    /// What HTTP calls holds, bookings and accounts (`public_ids.rs`).
    pub ids: PublicIds,
    /// The payment gateway, with the configured time limit on every call.
    pub payments: Arc<dyn PaymentGateway>,
    /// Notification channels.
    pub notifiers: Notifiers,
    /// Prometheus metrics.
    pub metrics: Metrics,
    /// Live seat-map fan-out.
    pub live: LiveHub,
    /// Rate limits.
    pub rate_limits: RateLimits,
    /// Back-pressure: requests handled at once and waiting.
    pub admission: Admission,
    /// Ids of requests that come without one.
    pub request_ids: RequestIds,
    /// Seat maps' unchanging parts, per show.
    pub seat_maps: SeatMapRenderer,
    /// The configuration it was built from.
    pub config: Config,
    /// The store's name for `/readyz`: `memory`, `postgres` or `postgres+redis`.
    pub store_kind: &'static str,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").field("store", &self.store_kind).finish_non_exhaustive()
    }
}

/// What [`build`] needs beyond the configuration: seams for tests and embedders.
pub struct Parts {
    /// The configuration.
    pub config: Config,
    /// The clock of the engine (a `ManualClock` in tests).
    pub clock: Arc<dyn Clock>,
    /// The payment gateway. When `None`: the simulated one in demo mode; in production mode
    /// none, and every payment is refused as `PAYMENT_FAILED` (an embedder passes its own).
    pub payments: Option<Arc<dyn PaymentGateway>>,
    /// The notification channels; built from the configuration when `None`.
    pub notifiers: Option<Notifiers>,
}

impl Parts {
    /// The configuration with the system clock and the built-in gateway and channels.
    pub fn new(config: Config) -> Parts {
        Parts { config, clock: Arc::new(SystemClock), payments: None, notifiers: None }
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// A flag has a bad value.
    #[error("configuration: {0}")]
    Config(String),
    /// The store or the directory could not be opened.
    #[error("store: {0}")]
    Store(String),
    /// The address could not be bound.
    #[error("listen: {0}")]
    Listen(#[from] std::io::Error),
}

fn key_bytes(field: &str, hex: Option<&str>) -> Result<Vec<u8>, StartError> {
    match hex {
        None => Ok(secrets::random_bytes(32)),
        Some(hex) => {
            let bytes = secrets::from_hex(field, hex).map_err(StartError::Config)?;
            if bytes.len() < 32 {
                return Err(StartError::Config(format!("{field} must be at least 32 bytes (64 hex digits)")));
            }
            Ok(bytes)
        }
    }
}

fn engine_config(c: &Config) -> Result<EngineConfig, StartError> {
    let ms = |secs: u64, field: &str| {
        i64::try_from(secs.saturating_mul(1_000))
            .map_err(|_| StartError::Config(format!("{field} too large")))
    };
    let hold_ttl_ms = ms(c.hold_ttl_secs, "hold_ttl_secs")?;
    let payment_window_ms = ms(c.payment_window_secs, "payment_window_secs")?;
    Ok(EngineConfig {
        hold_ttl_ms,
        payment_window_ms,
        hold_lifetime_ms_max: (hold_ttl_ms * 3).max(payment_window_ms),
        holds_per_owner_max: c.holds_per_owner,
        tickets_per_owner_max: c.tickets_per_owner,
        ..EngineConfig::default()
    })
}

async fn open_stores(c: &Config) -> Result<(DynStore, DynDirectory, DynSessions, &'static str), StartError> {
    let config = StoreConfig {
        database_url: c.database_url.clone(),
        redis_url: c.redis_url.clone(),
        schema: c.database_schema.clone(),
        max_connections: Some(c.database_connections),
        batch_lanes: Some(c.database_batch_lanes),
        application_name: Some("booking-server".into()),
    };
    // A flag that names no usable store is the operator's mistake, not the store's.
    config.kind().map_err(|e| StartError::Config(e.to_string()))?;
    let opened = open_store(&config).await.map_err(|e| StartError::Store(e.to_string()))?;
    let (directory, sessions): (DynDirectory, DynSessions) = match &opened.pool {
        Some(pool) => {
            let directory =
                PgDirectory::open(pool.clone()).await.map_err(|e| StartError::Store(e.to_string()))?;
            (Arc::new(directory), Arc::new(PgSessions::new(pool.clone())))
        }
        None => (Arc::new(MemoryDirectory::new()), Arc::new(MemorySessions::default())),
    };
    Ok((opened.store, directory, sessions, opened.kind.as_str()))
}

/// What [`build`] set up that the operator must know.
#[derive(Debug, Clone, Default)]
pub struct Bootstrap {
    /// The admin account created now, with its password, if one was created.
    pub admin_created: Option<(String, String)>,
    /// Whether demo data was loaded now.
    pub demo_loaded: bool,
}

/// Opens the stores, builds the engine and creates the first admin (and demo data) when missing.
pub async fn build(parts: Parts) -> Result<(Arc<AppState>, Bootstrap), StartError> {
    let c = parts.config;
    if let Some(why) = c.refusal() {
        return Err(StartError::Config(why));
    }
    let (store, directory, sessions, store_kind) = open_stores(&c).await?;
    let previous = c
        .ticket_previous_keys
        .iter()
        .map(|k| TicketKey::parse("ticket_previous_keys", k))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| StartError::Config(e.to_string()))?;
    let signer = TicketSigner::new(&key_bytes("ticket_key", c.ticket_key.as_deref())?)
        .and_then(|s| s.also_accepting(previous))
        .map_err(|e| StartError::Config(e.to_string()))?;
    let engine = BookingEngine::new(store, parts.clock, signer, engine_config(&c)?)
        .map_err(|e| StartError::Config(e.to_string()))?;
    let token_secret = key_bytes("jwt_secret", c.jwt_secret.as_deref())?;
    let tokens = TokenKeys::new(&token_secret, c.token_ttl_secs);
    let ids = PublicIds::new(&token_secret);
    let payments: Arc<dyn PaymentGateway> = match (parts.payments, c.mode()) {
        (Some(gateway), _) => gateway,
        (None, Mode::Demo) => Arc::new(SimulatedGateway::new(&secrets::random_bytes(32))),
        (None, Mode::Production) => Arc::new(NoGateway),
    };
    let payments = Arc::new(TimedGateway::new(payments, Duration::from_millis(c.gateway_timeout_ms)));
    let notifiers = match parts.notifiers {
        Some(n) => n,
        None => Notifiers::from_config(&c).map_err(StartError::Config)?,
    };
    let state = Arc::new(AppState {
        engine,
        directory,
        tokens,
        sessions,
        ids,
        payments,
        notifiers,
        metrics: Metrics::new(),
        live: LiveHub::default(),
        rate_limits: RateLimits::new(c.rate_limit_per_sec, c.rate_limit_burst, c.login_per_min),
        admission: Admission::new(c.concurrency),
        request_ids: RequestIds::default(),
        seat_maps: SeatMapRenderer::default(),
        config: c,
        store_kind,
    });
    let mut boot = Bootstrap::default();
    let store_error = |e: crate::error::ApiError| StartError::Store(e.message);
    boot.admin_created = ensure_admin(&state).await.map_err(store_error)?;
    if state.config.demo_data() {
        boot.demo_loaded = crate::demo::seed_if_empty(&state).await.map_err(store_error)?;
    }
    Ok((state, boot))
}

async fn ensure_admin(state: &AppState) -> Result<Option<(String, String)>, crate::error::ApiError> {
    if state.directory.has_admin().await? {
        return Ok(None);
    }
    let email = state.config.admin_email.trim().to_ascii_lowercase();
    let password = state.config.admin_password.clone().unwrap_or_else(secrets::random_password);
    let new = NewUser {
        email: email.clone(),
        name: "Administrator".into(),
        phone: None,
        role: Role::Admin,
        password_hash: hash_password(password.clone()).await?,
    };
    match state.directory.create_user(new).await {
        Ok(_) => Ok(Some((email, password))),
        // Another instance created it first.
        Err(crate::directory::DirectoryError::EmailTaken) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// How long a shutdown waits for requests in flight.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// A server that is running, until [`RunningServer::shutdown`].
#[derive(Debug)]
pub struct RunningServer {
    /// The address it listens on.
    pub addr: SocketAddr,
    /// Its state (tests read the engine and the directory directly).
    pub state: Arc<AppState>,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl RunningServer {
    /// `http://addr`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, lets requests in flight finish, stops the background tasks.
    pub async fn shutdown(self) {
        self.state.live.stop();
        let _ = self.stop.send(true);
        // Requests in flight and background steps share one bounded time to finish.
        let deadline = tokio::time::Instant::now() + SHUTDOWN_GRACE;
        for mut t in self.tasks {
            if tokio::time::timeout_at(deadline, &mut t).await.is_err() {
                t.abort();
            }
        }
    }
}

/// Every route of the service with the middleware every request passes, to serve on a
/// listener of one's own or to call in-process (see `tower::ServiceExt::oneshot`), without
/// the background tasks that [`start`] runs.
pub fn router(state: Arc<AppState>) -> axum::Router {
    crate::routes::router(state)
}

/// Serves `state` on `listener` with its background tasks (sweeper, notifications, limiter
/// tidying) until shut down.
pub fn start(state: Arc<AppState>, listener: TcpListener) -> Result<RunningServer, StartError> {
    let addr = listener.local_addr()?;
    let (stop, stopped) = watch::channel(false);
    let app = crate::routes::router(state.clone());
    let serve = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(until_stopped(stopped.clone()));
    let mut tasks = vec![tokio::spawn(async move {
        if let Err(e) = serve.await {
            tracing::error!(error = %e, "server stopped");
        }
    })];
    tasks.push(tokio::spawn(sweeper(state.clone(), stopped.clone())));
    tasks.push(tokio::spawn(crate::notify::worker(state.clone(), stopped.clone())));
    tasks.push(tokio::spawn(tidy_limits(state.clone(), stopped)));
    Ok(RunningServer { addr, state, stop, tasks })
}

/// Runs `f` every `period` until `stopped` turns true.
pub(crate) async fn every<F, Fut>(period: Duration, stopped: watch::Receiver<bool>, mut f: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut tick = tokio::time::interval(period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let stop = until_stopped(stopped);
    tokio::pin!(stop);
    loop {
        tokio::select! {
            // A step in progress is dropped at a stop: every step is safe to cut between store
            // calls (each is atomic) and is done again by the next run.
            _ = tick.tick() => tokio::select! {
                _ = f() => {}
                _ = &mut stop => return,
            },
            _ = &mut stop => return,
        }
    }
}

/// Resolves when `stopped` turns true (or its sender is gone).
pub(crate) async fn until_stopped(mut stopped: watch::Receiver<bool>) {
    let _ = stopped.wait_for(|s| *s).await;
}

async fn sweeper(state: Arc<AppState>, stopped: watch::Receiver<bool>) {
    let period = Duration::from_millis(state.config.sweep_ms.max(10));
    every(period, stopped, || async {
        match state.engine.sweep_expired().await {
            Ok(report) => crate::effects::apply(&state, &crate::effects::Effect::Swept(report)),
            Err(e) => tracing::warn!(error = %e, "sweep failed"),
        }
        // Logouts made on other instances.
        match state.sessions.revoked(crate::auth::unix_now_secs()).await {
            Ok(keys) => state.tokens.merge_revoked(keys),
            Err(e) => tracing::warn!(error = %e, "reading revoked tokens failed"),
        }
    })
    .await;
}

async fn tidy_limits(state: Arc<AppState>, stopped: watch::Receiver<bool>) {
    every(Duration::from_secs(30), stopped, || async { state.rate_limits.tidy() }).await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn a_background_step_in_progress_stops_at_the_signal() {
        let (stop, stopped) = watch::channel(false);
        let started = Arc::new(AtomicUsize::new(0));
        let seen = started.clone();
        // A step that never ends, as a step stuck behind a long backlog would look.
        let task = tokio::spawn(every(Duration::from_millis(1), stopped, move || {
            seen.fetch_add(1, Ordering::SeqCst);
            std::future::pending::<()>()
        }));
        while started.load(Ordering::SeqCst) == 0 {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        let _ = stop.send(true);
        let ended = tokio::time::timeout(Duration::from_secs(2), task).await;
        assert!(matches!(ended, Ok(Ok(()))), "the loop did not stop while its step was running");
        assert_eq!(started.load(Ordering::SeqCst), 1, "a step that never ended was started again");
    }

    #[tokio::test]
    async fn steps_repeat_until_the_signal() {
        let (stop, stopped) = watch::channel(false);
        let runs = Arc::new(AtomicUsize::new(0));
        let seen = runs.clone();
        let task = tokio::spawn(every(Duration::from_millis(1), stopped, move || {
            seen.fetch_add(1, Ordering::SeqCst);
            async {}
        }));
        while runs.load(Ordering::SeqCst) < 3 {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        let _ = stop.send(true);
        let ended = tokio::time::timeout(Duration::from_secs(2), task).await;
        assert!(matches!(ended, Ok(Ok(()))), "the loop did not stop");
    }
}
