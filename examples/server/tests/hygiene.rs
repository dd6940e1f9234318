//! Two security checks on the whole system rather than one route: secrets never reach the logs,
//! and no SQL is ever built from a value.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "a password nobody logs 42";
const ADMIN_PASSWORD: &str = "admin password nobody logs";
const JWT_SECRET_HEX: &str = "5a5b5c5d5e5f606162636465666768696a6b6c6d6e6f70717273747576777879";
const TICKET_KEY_HEX: &str = "8182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map_or(0, |a| a.port())
}

/// One request over a fresh connection; the status line and the body.
fn http(port: u16, method: &str, path: &str, token: Option<&str>, body: &str) -> (u16, String) {
    use std::io::Write;
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap_or_else(|e| panic!("connect: {e}"));
    let auth = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n{auth}Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).unwrap_or_else(|e| panic!("write: {e}"));
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    let status = out.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = out.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}

fn field(body: &str, name: &str) -> String {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v[name].as_str().map(String::from))
        .unwrap_or_default()
}

#[test]
fn passwords_tokens_and_keys_never_reach_the_logs() {
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_booking-server"))
        .args(["--listen", &format!("127.0.0.1:{port}"), "--demo-data", "false", "--log-format", "json"])
        .args([
            "--admin-password",
            ADMIN_PASSWORD,
            "--jwt-secret",
            JWT_SECRET_HEX,
            "--ticket-key",
            TICKET_KEY_HEX,
        ])
        .args(["--rate-limit-per-sec", "0", "--login-per-min", "0"])
        // The most the logs ever say: every span and event of every crate.
        .env("BOOKING_LOG", "trace")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("start: {e}"));
    let started = Instant::now();
    while http_ready(port).is_none() {
        assert!(started.elapsed() < Duration::from_secs(30), "the server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    let register = format!(r#"{{"email":"ann@example.com","password":"{PASSWORD}","name":"Ann"}}"#);
    assert_eq!(http(port, "POST", "/v1/auth/register", None, &register).0, 201);
    let login = format!(r#"{{"email":"ann@example.com","password":"{PASSWORD}"}}"#);
    let (status, body) = http(port, "POST", "/v1/auth/login", None, &login);
    assert_eq!(status, 200, "{body}");
    let token = field(&body, "access_token");
    assert!(token.len() > 20);
    assert_eq!(http(port, "GET", "/v1/me", Some(&token), "").0, 200);
    let wrong = r#"{"email":"ann@example.com","password":"the wrong one, logged? 7"}"#;
    assert_eq!(http(port, "POST", "/v1/auth/login", None, wrong).0, 401);
    let admin = format!(r#"{{"email":"admin@example.com","password":"{ADMIN_PASSWORD}"}}"#);
    let admin_token = field(&http(port, "POST", "/v1/auth/login", None, &admin).1, "access_token");
    let (status, setup) = http(port, "POST", "/v1/me/totp", Some(&admin_token), "{}");
    assert_eq!(status, 200, "{setup}");
    let totp_secret = field(&setup, "secret");
    assert!(!totp_secret.is_empty());
    // A forged token is refused and logged as refused, not written out.
    let forged = format!("{token}x");
    assert_eq!(http(port, "GET", "/v1/me", Some(&forged), "").0, 401);

    let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    let _ = child.wait();
    let mut logs = String::new();
    if let Some(mut out) = child.stdout.take() {
        let _ = out.read_to_string(&mut logs);
    }
    if let Some(mut err) = child.stderr.take() {
        let _ = err.read_to_string(&mut logs);
    }
    assert!(logs.contains("/v1/auth/login"), "the logs were captured: {}", &logs[..logs.len().min(500)]);
    let signature = token.rsplit('.').next().unwrap_or_default();
    for (what, secret) in [
        ("a password", PASSWORD),
        ("a wrong password", "the wrong one, logged?"),
        ("the admin's password", ADMIN_PASSWORD),
        ("an access token", token.as_str()),
        ("a token's signature", signature),
        ("the JWT secret", JWT_SECRET_HEX),
        ("the ticket key", TICKET_KEY_HEX),
        ("a TOTP secret", totp_secret.as_str()),
    ] {
        assert!(!logs.contains(secret), "{what} reached the logs");
    }
}

fn http_ready(port: u16) -> Option<()> {
    std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    (http(port, "GET", "/healthz", None, "").0 == 200).then_some(())
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The `{...}` placeholders of the `format!` calls whose text is SQL.
fn sql_placeholders(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in source.match_indices("format!(") {
        let rest = &source[i..];
        let Some(open) = rest.find('"') else { continue };
        let literal: String = rest[open + 1..].chars().take_while(|c| *c != '"').collect();
        let head = literal.trim_start().to_ascii_uppercase();
        if !["SELECT ", "INSERT ", "UPDATE ", "DELETE ", "WITH ", "CREATE ", "DROP ", "SET "]
            .iter()
            .any(|k| head.starts_with(k))
        {
            continue;
        }
        let mut inside: Option<String> = None;
        for c in literal.chars() {
            match (c, inside.as_mut()) {
                ('{', None) => inside = Some(String::new()),
                ('}', Some(_)) => out.extend(inside.take()),
                (c, Some(name)) => name.push(c),
                (_, None) => {}
            }
        }
    }
    out
}

#[test]
fn sql_is_never_built_from_a_value() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    for dir in ["core/src", "adapters/postgres/src", "adapters/redis/src", "examples/server/src"] {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 40, "the sources were found: {}", files.len());
    let mut checked = 0;
    for file in files {
        let source = std::fs::read_to_string(&file).unwrap_or_default();
        for placeholder in sql_placeholders(&source) {
            checked += 1;
            // Only constants of column lists and the like may be spliced in: an ALL_CAPS name.
            let constant = !placeholder.is_empty()
                && placeholder.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
            assert!(
                constant,
                "{} builds SQL from `{{{placeholder}}}`: bind it as a parameter",
                file.display()
            );
        }
    }
    assert!(checked > 5, "SQL built with format! was found and checked: {checked}");
}

#[test]
fn the_sql_check_sees_a_value_spliced_in() {
    let bad = r#"let q = format!("SELECT * FROM bc_holds WHERE owner = '{owner}'");"#;
    assert_eq!(sql_placeholders(bad), vec!["owner".to_string()]);
    let good = r#"let q = format!("SELECT {HOLD_COLUMNS} FROM bc_holds WHERE id = $1");"#;
    assert_eq!(sql_placeholders(good), vec!["HOLD_COLUMNS".to_string()]);
    assert!(sql_placeholders(r#"format!("hello {name}")"#).is_empty());
}
