//! Parity, enforced: every engine operation, error code and store option is offered by every
//! front or listed with a reason (`booking_front::parity`), and the README's table is that list.
//! The fronts are read from their sources: Python's `_engine.py` and `_errors.py`, Node's
//! `#[napi]` methods and `index.d.ts` header, the mobile binding's `#[uniffi::export]` methods,
//! booking-server's flags. (booking-server's own tests hold its routes to the HTTP column.)
//! `BOOKING_BLESS=1` writes the README's table again.

use booking_front::parity::{OPERATIONS, Offer, STORE_OPTIONS, readme_table};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("read {path}: {e}"))
}

fn read_all(dir: &str, prefix: &str) -> String {
    let mut out = String::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("read {dir}: {e}"))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(prefix)))
        .collect();
    files.sort();
    for f in files {
        out.push_str(&std::fs::read_to_string(&f).unwrap_or_default());
    }
    out
}

/// The names after `marker` up to the next non-identifier character, e.g. every `pub async fn x`.
fn names_after(text: &str, marker: &str) -> BTreeSet<String> {
    text.match_indices(marker)
        .map(|(i, _)| {
            text[i + marker.len()..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect()
        })
        .filter(|n: &String| !n.is_empty())
        .collect()
}

fn snake(camel: &str) -> String {
    let mut out = String::new();
    for c in camel.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn every_engine_operation_is_listed_once() {
    let source = read_all("core/src", "engine");
    let mut engine = names_after(&source, "pub async fn ");
    // The few operations that never wait (the ticket keys) are listed too; each must exist.
    let sync = names_after(&source, "pub fn ");
    let listed: BTreeSet<String> = OPERATIONS.iter().map(|o| o.engine.to_string()).collect();
    engine.extend(
        listed.iter().filter(|op| !engine.contains(*op) && sync.contains(*op)).cloned().collect::<Vec<_>>(),
    );
    assert_eq!(listed.len(), OPERATIONS.len(), "an operation is listed twice");
    assert_eq!(
        listed, engine,
        "the list of operations is not the engine's async methods (and listed sync ones)"
    );
}

#[test]
fn every_front_offers_every_operation_or_says_why() {
    let python = read("bindings/python/python/booking_core/_engine.py");
    let py_sync = names_after(&python, "    def ");
    let py_async = names_after(&python, "    async def ");
    let node = names_after(&read_all("bindings/node/src", "engine"), "pub fn ");
    let mobile = names_after(&read("bindings/uniffi/src/engine.rs"), "pub fn ");
    let mut missing = Vec::new();
    for o in OPERATIONS {
        if let Offer::Named(name) = o.python
            && !(py_sync.contains(name) && py_async.contains(name))
        {
            missing.push(format!("Python Engine and AsyncEngine: {name}"));
        }
        if let Offer::Named(name) = o.node
            && !node.contains(&snake(name))
        {
            missing.push(format!("Node: {name}"));
        }
        if let Offer::Named(name) = o.mobile
            && !mobile.contains(&snake(name))
        {
            missing.push(format!("Kotlin/Swift: {name}"));
        }
    }
    assert!(missing.is_empty(), "listed as offered but not found: {missing:#?}");
}

#[test]
fn every_front_has_every_error_code() {
    let codes: BTreeSet<String> =
        booking_core::ErrorCode::ALL.iter().map(|c| c.as_str().to_string()).collect();
    let python: BTreeSet<String> =
        names_after(&read("bindings/python/python/booking_core/_errors.py"), "code = \"")
            .into_iter()
            .filter(|c| c != "BOOKING_ERROR")
            .collect();
    assert_eq!(python, codes, "Python's exception classes");
    let header = read("bindings/node/types-header.d.ts");
    let union =
        header.split("export type ErrorCode").nth(1).and_then(|t| t.split("\n\n").next()).unwrap_or("");
    assert_eq!(names_after(union, "| '"), codes, "Node's ErrorCode type");
    let mobile = read("bindings/uniffi/src/error.rs");
    for code in &codes {
        assert!(mobile.contains(&format!("`{code}`")), "the mobile binding's BookingError has no {code}");
    }
}

#[test]
fn every_front_takes_every_store_option_or_says_why() {
    let fields = names_after(&read("front/src/stores.rs"), "    pub ");
    let listed: BTreeSet<String> = STORE_OPTIONS.iter().map(|s| s.option.to_string()).collect();
    let config: BTreeSet<String> = fields.into_iter().filter(|f| listed.contains(f)).collect();
    assert_eq!(config, listed, "the list of store options is not StoreConfig's fields");
    let python = read("bindings/python/python/booking_core/_engine.py");
    let node = read("bindings/node/src/inputs.rs");
    let server = read("examples/server/src/config.rs");
    for s in STORE_OPTIONS {
        if let Offer::Named(name) = s.python {
            assert!(python.contains(&format!("        {name}: ")), "Python Engine(...) has no {name}");
        }
        if let Offer::Named(name) = s.node {
            assert!(node.contains(&format!("pub {}: ", snake(name))), "Node's options have no {name}");
        }
        if let Offer::Named(flag) = s.http {
            let field = flag.trim_start_matches("--").replace('-', "_");
            assert!(server.contains(&format!("pub {field}: ")), "booking-server has no {flag}");
        }
        assert!(matches!(s.mobile, Offer::Not(_)) || Path::new("bindings/uniffi/src/stores.rs").exists());
    }
}

#[test]
fn the_readme_table_is_the_list() {
    let path = root().join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap_or_default();
    let (begin, end) = ("<!-- parity: generated from front/src/parity.rs -->\n", "<!-- /parity -->");
    let table = readme_table();
    let (Some(start), Some(stop)) = (readme.find(begin), readme.find(end)) else {
        panic!("README.md has no {begin:?} ... {end:?} block");
    };
    let now = &readme[start + begin.len()..stop];
    if now != table && std::env::var_os("BOOKING_BLESS").is_some() {
        let written = format!("{}{begin}{table}{}", &readme[..start], &readme[stop..]);
        std::fs::write(&path, written).unwrap_or_else(|e| panic!("write README.md: {e}"));
        return;
    }
    assert!(
        now == table,
        "README.md's parity table is not the list: run BOOKING_BLESS=1 cargo test -p booking-front --test parity"
    );
}
