//! `cargo run --release -p booking-server`: the service on 127.0.0.1:8080 with demo data.

use booking_server::app::{self, Parts};
use booking_server::config::{Config, LogFormat, Mode};
use clap::Parser;
use tracing_subscriber::EnvFilter;

// glibc's malloc took a fifth of the server's time under a rush (benches/README).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn init_logs(format: LogFormat) {
    let filter = EnvFilter::try_from_env("BOOKING_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_target(false);
    match format {
        LogFormat::Json => builder.json().with_current_span(true).init(),
        LogFormat::Text => builder.init(),
    }
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(s) => s,
            Err(_) => {
                let _ = ctrl_c.await;
                return;
            }
        };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let config = Config::parse();
    init_logs(config.log_format);
    let listen = config.listen;
    let (state, boot) = match app::build(Parts::new(config)).await {
        Ok(built) => built,
        Err(e) => {
            eprintln!("booking-server: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let listener = match tokio::net::TcpListener::bind(listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("booking-server: cannot listen on {listen}: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let server = match app::start(state.clone(), listener) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("booking-server: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    // Printed, not logged: the password must not reach a log collector.
    let mode = state.config.mode();
    println!(
        "booking-server on {} ({} store, {} mode)",
        server.url(),
        state.store_kind,
        match mode {
            Mode::Demo => "demo",
            Mode::Production => "production",
        }
    );
    if mode == Mode::Production {
        println!("  payments:  {}", booking_server::payments::NO_GATEWAY);
    }
    println!("  web page:  {}/", server.url());
    println!("  API docs:  {}/docs", server.url());
    match (&boot.admin_created, state.config.admin_password.is_some()) {
        // The operator chose the password: it is not written anywhere again.
        (Some((email, _)), true) => println!("  admin:     {email} (created now, with the password given)"),
        (Some((email, password)), false) => {
            println!("  admin:     {email} / {password}   (created now; change it by creating another admin)")
        }
        (None, _) => {}
    }
    if boot.demo_loaded {
        println!("  demo data: theatres in Lisbon and Porto, six films, a week of shows");
    }
    shutdown_signal().await;
    tracing::info!("shutting down");
    server.shutdown().await;
    std::process::ExitCode::SUCCESS
}
