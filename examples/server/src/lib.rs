//! # booking-server
//!
//! The booking-core example service: accounts and roles, the catalogue, shows, live seat maps,
//! holds, bookings, payments, tickets with QR codes and check-in, notifications and analytics,
//! over a JSON HTTP API under `/v1` (described at `/openapi.json`, browsable at `/docs`) and a
//! web page at `/`.
//!
//! Every business rule lives in booking-core; this crate only maps HTTP to the engine, keeps
//! accounts and the catalogue's movies, and runs the background workers. It is stateless over
//! its stores, so several instances can share one PostgreSQL (and Redis).
//!
//! Embed it, or start it from a test, with [`app::build`] and [`app::start`]:
//!
//! ```no_run
//! # async fn run() -> Result<(), booking_server::app::StartError> {
//! use booking_server::{app, config::Config};
//! let (state, _boot) = app::build(app::Parts::new(Config::defaults())).await?;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! let server = app::start(state, listener)?;
//! println!("listening on {}", server.url());
//! server.shutdown().await;
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod admission;
pub mod analytics;
pub mod app;
pub mod auth;
pub mod client_addr;
pub mod config;
pub mod demo;
pub mod directory;
pub mod directory_memory;
pub mod directory_pg;
pub mod edge;
pub mod effects;
pub mod error;
pub mod extract;
pub mod live;
pub mod metrics;
pub mod notify;
pub mod password;
pub mod payments;
pub mod public_ids;
pub mod qr;
pub mod ratelimit;
pub mod routes;
pub mod seat_map_json;
pub mod secrets;
pub mod sessions;
pub mod templates;
pub mod views;
mod web;

pub use routes::REQUEST_ID;
