//! Configuration by flags and environment variables (`booking-server --help` lists them all).

use booking_postgres::PgStoreOptions;
use clap::{ArgAction, Parser, ValueEnum};
use std::net::SocketAddr;

/// How logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// One JSON object per line (for log collectors).
    Json,
    /// Human-readable lines.
    Text,
}

/// What the server runs as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Mode {
    /// A demonstration: demo data in an empty store, the simulated payment gateway (`tok_visa`
    /// pays), random keys when none are given.
    Demo,
    /// For real customers: no demo data, no simulated gateway, and the ticket key and token
    /// secret must be given (a random key would void every ticket and token at the next start).
    Production,
}

/// booking-server: the booking-core example service.
///
/// Runs on the in-memory store with demo data by default; `--database-url` puts it on
/// PostgreSQL (in production mode unless `--mode demo`) and `--redis-url` adds holds on Redis.
#[derive(Debug, Clone, Parser)]
#[command(name = "booking-server", version, about, long_about = None)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "BOOKING_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// PostgreSQL URL; migrations run on start. Without it the server keeps everything in memory.
    #[arg(long, env = "BOOKING_DATABASE_URL")]
    pub database_url: Option<String>,

    /// Schema for the server's tables and the store's (default: the database's search_path).
    #[arg(long, env = "BOOKING_DATABASE_SCHEMA")]
    pub database_schema: Option<String>,

    /// Connections in the PostgreSQL pool, at most.
    #[arg(long, env = "BOOKING_DATABASE_CONNECTIONS", default_value_t = 16)]
    pub database_connections: u32,

    /// Lanes in which the PostgreSQL store batches each kind of request (holds, releases,
    /// bookings, confirmations): requests that arrive while a lane's batch runs go in its next
    /// one. 0 sends every request alone.
    #[arg(long, env = "BOOKING_DATABASE_BATCH_LANES", default_value_t = PgStoreOptions::default().batch_lanes)]
    pub database_batch_lanes: usize,

    /// Redis URL (`redis://host:port` or `redis+cluster://h1:p1,h2:p2`) for holds; needs
    /// --database-url.
    #[arg(long, env = "BOOKING_REDIS_URL")]
    pub redis_url: Option<String>,

    /// `demo` or `production` (default: demo on the in-memory store, production with
    /// --database-url). Production refuses demo data and the simulated gateway, and needs
    /// --ticket-key and --jwt-secret.
    #[arg(long, env = "BOOKING_MODE", value_enum)]
    pub mode: Option<Mode>,

    /// Load demo data (theatres in two cities, movies, a week of shows) into an empty store
    /// (default: on in demo mode; refused in production mode).
    #[arg(long, env = "BOOKING_DEMO_DATA", action = ArgAction::Set)]
    pub demo_data: Option<bool>,

    /// Email of the admin account created when none exists.
    #[arg(long, env = "BOOKING_ADMIN_EMAIL", default_value = "admin@example.com")]
    pub admin_email: String,

    /// Password of that admin account; a random one is printed at start when not given.
    #[arg(long, env = "BOOKING_ADMIN_PASSWORD", hide_env_values = true)]
    pub admin_password: Option<String>,

    /// Secret for access tokens, hex (at least 32 bytes). Instances sharing a database must
    /// share it. Required in production mode; in demo mode random when not given (tokens then
    /// die with the process).
    #[arg(long, env = "BOOKING_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,

    /// Lifetime of an access token, in seconds: short, since a refresh token renews it.
    #[arg(long, env = "BOOKING_TOKEN_TTL_SECS", default_value_t = 900)]
    pub token_ttl_secs: u64,

    /// Lifetime of a refresh token, in seconds (each refresh gives a new one).
    #[arg(long, env = "BOOKING_REFRESH_TTL_SECS", default_value_t = 30 * 86_400)]
    pub refresh_ttl_secs: u64,

    /// Secret that signs tickets (Ed25519, derived from it), hex (at least 32 bytes). Instances
    /// must share it; scanners and apps need only the public keys at `GET /v1/ticket-keys`.
    /// Required in production mode; in demo mode random when not given (tickets then die with
    /// the process).
    #[arg(long, env = "BOOKING_TICKET_KEY", hide_env_values = true)]
    pub ticket_key: Option<String>,

    /// Public keys of previous ticket keys whose tickets still verify (rotation), comma
    /// separated, each as `GET /v1/ticket-keys` lists it (`x`) or in hex. Drop one to retire it.
    #[arg(long, env = "BOOKING_TICKET_PREVIOUS_KEYS", value_delimiter = ',')]
    pub ticket_previous_keys: Vec<String>,

    /// How long a hold lasts, in seconds.
    #[arg(long, env = "BOOKING_HOLD_TTL_SECS", default_value_t = 600)]
    pub hold_ttl_secs: u64,

    /// How long a pending booking waits for its payment, in seconds.
    #[arg(long, env = "BOOKING_PAYMENT_WINDOW_SECS", default_value_t = 600)]
    pub payment_window_secs: u64,

    /// Live holds one customer may have at once.
    #[arg(long, env = "BOOKING_HOLDS_PER_OWNER", default_value_t = 4)]
    pub holds_per_owner: u32,

    /// Tickets one customer may have on one show, held, pending and paid together, for shows
    /// scheduled without their own cap (unset: no cap).
    #[arg(long, env = "BOOKING_TICKETS_PER_OWNER")]
    pub tickets_per_owner: Option<u32>,

    /// How long the server waits for the payment gateway, in milliseconds.
    #[arg(long, env = "BOOKING_GATEWAY_TIMEOUT_MS", default_value_t = 10_000)]
    pub gateway_timeout_ms: u64,

    /// Requests per second one client address may make (0: no limit).
    #[arg(long, env = "BOOKING_RATE_LIMIT_PER_SEC", default_value_t = 50)]
    pub rate_limit_per_sec: u32,

    /// Requests one client address may make in a burst.
    #[arg(long, env = "BOOKING_RATE_LIMIT_BURST", default_value_t = 100)]
    pub rate_limit_burst: u32,

    /// Login attempts per minute from one client address (0: no limit).
    #[arg(long, env = "BOOKING_LOGIN_PER_MIN", default_value_t = 10)]
    pub login_per_min: u32,

    /// Largest request body, in bytes.
    #[arg(long, env = "BOOKING_BODY_LIMIT_BYTES", default_value_t = 1 << 20)]
    pub body_limit_bytes: usize,

    /// Requests handled at once; more wait in a queue of the same size, beyond which they get
    /// 503 at once.
    #[arg(long, env = "BOOKING_CONCURRENCY", default_value_t = 1_024)]
    pub concurrency: usize,

    /// Origins allowed by CORS (comma separated; `*` for any). None by default.
    #[arg(long, env = "BOOKING_CORS_ORIGINS", value_delimiter = ',')]
    pub cors_origins: Vec<String>,

    /// Proxies whose `X-Forwarded-For` is believed, comma separated (CIDRs such as `10.0.0.0/8`,
    /// or addresses). Requests through them are rate-limited and logged by the client address
    /// they forward; the header is ignored from anyone else. None by default.
    #[arg(long, env = "BOOKING_TRUSTED_PROXIES", value_delimiter = ',', value_parser = crate::client_addr::parse_proxy)]
    pub trusted_proxies: Vec<ipnet::IpNet>,

    /// Live seat-map streams open at once, at most.
    #[arg(long, env = "BOOKING_SSE_STREAMS_MAX", default_value_t = 10_000)]
    pub sse_streams_max: usize,

    /// How often a live stream looks for events written by other instances, in milliseconds.
    #[arg(long, env = "BOOKING_SSE_POLL_MS", default_value_t = 500)]
    pub sse_poll_ms: u64,

    /// How often expired holds and unpaid bookings are swept, in milliseconds.
    #[arg(long, env = "BOOKING_SWEEP_MS", default_value_t = 1_000)]
    pub sweep_ms: u64,

    /// How often the notification worker reads the event log, in milliseconds.
    #[arg(long, env = "BOOKING_NOTIFY_MS", default_value_t = 1_000)]
    pub notify_ms: u64,

    /// Reminders go out this many minutes before a show starts.
    #[arg(long, env = "BOOKING_REMINDER_MINUTES", default_value_t = 180)]
    pub reminder_minutes: i64,

    /// SMTP relay for email notifications (`smtp://host:port`); without it emails go to the log.
    #[arg(long, env = "BOOKING_SMTP_URL")]
    pub smtp_url: Option<String>,

    /// Sender address of email notifications.
    #[arg(long, env = "BOOKING_SMTP_FROM", default_value = "tickets@example.com")]
    pub smtp_from: String,

    /// Serve the web page from this folder instead of the copy built into the binary (for
    /// working on the page without rebuilding).
    #[arg(long, env = "BOOKING_WEB_DIR")]
    pub web_dir: Option<std::path::PathBuf>,

    /// Log format.
    #[arg(long, env = "BOOKING_LOG_FORMAT", value_enum, default_value_t = LogFormat::Json)]
    pub log_format: LogFormat,
}

impl Config {
    /// The defaults, as if run with no flags and no environment (for tests and embedding).
    pub fn defaults() -> Config {
        Config::parse_from(["booking-server"])
    }

    /// The mode it runs in: as given, else demo on the in-memory store and production with a
    /// database.
    pub fn mode(&self) -> Mode {
        self.mode.unwrap_or(if self.database_url.is_some() { Mode::Production } else { Mode::Demo })
    }

    /// Whether demo data loads into an empty store: as given, else in demo mode.
    pub fn demo_data(&self) -> bool {
        self.demo_data.unwrap_or(self.mode() == Mode::Demo)
    }

    /// Why this configuration must not start, naming the flags to fix: production mode with
    /// demo data, or without the keys that must outlive the process.
    pub fn refusal(&self) -> Option<String> {
        if self.mode() != Mode::Production {
            return None;
        }
        if self.demo_data == Some(true) {
            return Some("--demo-data true needs --mode demo: production never loads demo data".into());
        }
        let missing: Vec<&str> = [
            ("--ticket-key (BOOKING_TICKET_KEY)", self.ticket_key.is_none()),
            ("--jwt-secret (BOOKING_JWT_SECRET)", self.jwt_secret.is_none()),
        ]
        .into_iter()
        .filter_map(|(flag, missing)| missing.then_some(flag))
        .collect();
        (!missing.is_empty()).then(|| {
            format!(
                "production mode (the default with --database-url) needs {}: a random key would void every \
                 ticket and sign-in at the next start; give 32 random bytes as 64 hex digits \
                 (e.g. `openssl rand -hex 32`), or run with --mode demo",
                missing.join(" and ")
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Config::command().debug_assert();
        let c =
            Config::try_parse_from(["booking-server", "--listen", "0.0.0.0:9000", "--demo-data", "false"]);
        assert!(matches!(c, Ok(c) if c.listen.port() == 9000 && !c.demo_data()));
        assert!(Config::try_parse_from(["booking-server", "--listen", "nowhere"]).is_err());
    }

    #[test]
    fn a_database_means_production_which_needs_its_keys_and_no_demo() {
        let parse = |args: &[&str]| {
            let mut all = vec!["booking-server"];
            all.extend_from_slice(args);
            Config::try_parse_from(all).unwrap_or_else(|e| panic!("{e}"))
        };
        let memory = parse(&[]);
        assert_eq!((memory.mode(), memory.demo_data(), memory.refusal()), (Mode::Demo, true, None));
        let db = ["--database-url", "postgres://h/db"];
        let bare = parse(&db);
        assert_eq!((bare.mode(), bare.demo_data()), (Mode::Production, false));
        let why = bare.refusal().unwrap_or_default();
        assert!(why.contains("--ticket-key") && why.contains("--jwt-secret"), "{why}");
        let key = "--ticket-key=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
        let half = parse(&[db[0], db[1], key]).refusal().unwrap_or_default();
        assert!(half.contains("--jwt-secret") && !half.contains("--ticket-key"), "{half}");
        let secret = "--jwt-secret=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
        assert_eq!(parse(&[db[0], db[1], key, secret]).refusal(), None);
        let demo_data = parse(&[db[0], db[1], key, secret, "--demo-data", "true"]).refusal();
        assert!(demo_data.is_some_and(|w| w.contains("--mode demo")));
        let demo = parse(&[db[0], db[1], "--mode", "demo"]);
        assert_eq!((demo.mode(), demo.demo_data(), demo.refusal()), (Mode::Demo, true, None));
        assert!(parse(&["--mode", "production"]).refusal().is_some());
    }

    #[test]
    fn batch_lanes_default_to_the_stores_and_can_be_set() {
        let lanes = |args: &[&str]| Config::try_parse_from(args).map(|c| c.database_batch_lanes).ok();
        assert_eq!(lanes(&["booking-server"]), Some(PgStoreOptions::default().batch_lanes));
        assert_eq!(lanes(&["booking-server", "--database-batch-lanes", "1"]), Some(1));
        assert_eq!(lanes(&["booking-server", "--database-batch-lanes", "-1"]), None);
    }
}
