//! The configuration reference in the README is generated from the flags themselves, and the
//! binary's `--help` lists exactly those flags. After changing a flag:
//! `BOOKING_BLESS=1 cargo test -p booking-server --test config_reference`.

use booking_server::config::Config;
use clap::CommandFactory;
use std::path::Path;
use std::process::Command;

const BEGIN: &str = "<!-- config-reference: generated from config.rs by tests/config_reference.rs -->\n";
const END: &str = "<!-- /config-reference -->";

/// One line of text: clap's help with its line breaks and the table's pipes made safe.
fn cell(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").replace('|', "\\|")
}

/// Every flag: its name, its variable, its default and what it means.
fn reference() -> String {
    let command = Config::command();
    let mut out = String::from("| flag | variable | default | meaning |\n|---|---|---|---|\n");
    for arg in command.get_arguments() {
        let Some(long) = arg.get_long() else { continue };
        if matches!(long, "help" | "version") {
            continue;
        }
        let env = arg.get_env().map(|e| format!("`{}`", e.to_string_lossy())).unwrap_or_default();
        let defaults: Vec<String> =
            arg.get_default_values().iter().map(|v| v.to_string_lossy().into_owned()).collect();
        let default =
            if defaults.is_empty() { "–".to_string() } else { format!("`{}`", defaults.join(",")) };
        let help = arg.get_long_help().or(arg.get_help()).map(|h| h.to_string()).unwrap_or_default();
        let values: Vec<String> = arg
            .get_possible_values()
            .iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| v.get_name().to_string())
            .collect();
        let choices =
            if values.is_empty() { String::new() } else { format!(" One of: {}.", values.join(", ")) };
        let meaning = cell(&help);
        out.push_str(&format!(
            "| `--{long}` | {env} | {default} | {}.{choices} |\n",
            meaning.trim_end_matches('.')
        ));
    }
    out
}

fn readme() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")
}

#[test]
fn the_readme_reference_is_the_flags() {
    let text = std::fs::read_to_string(readme()).unwrap_or_else(|e| panic!("README: {e}"));
    let (Some(a), Some(b)) = (text.find(BEGIN), text.find(END)) else {
        panic!("the README has no {BEGIN:?} ... {END:?} section")
    };
    let generated = reference();
    if std::env::var_os("BOOKING_BLESS").is_some() {
        let new = format!("{}{BEGIN}{generated}{}", &text[..a], &text[b..]);
        std::fs::write(readme(), new).unwrap_or_else(|e| panic!("write README: {e}"));
        return;
    }
    assert!(
        text[a + BEGIN.len()..b] == generated,
        "the README's configuration reference is not the flags': run BOOKING_BLESS=1 cargo test -p booking-server --test config_reference"
    );
}

#[test]
fn help_lists_exactly_the_flags_of_the_reference() {
    let out = Command::new(env!("CARGO_BIN_EXE_booking-server"))
        .arg("--help")
        .output()
        .unwrap_or_else(|e| panic!("--help: {e}"));
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    let flags_in = |text: &str| -> std::collections::BTreeSet<String> {
        text.split(|c: char| c.is_whitespace() || c == '`' || c == ',' || c == '[' || c == '=')
            .filter(|w| w.starts_with("--") && w.len() > 2)
            .map(str::to_string)
            .collect()
    };
    let mut listed: std::collections::BTreeSet<String> =
        Config::command().get_arguments().filter_map(|a| a.get_long()).map(|l| format!("--{l}")).collect();
    assert!(listed.iter().all(|flag| reference().contains(&format!("| `{flag}` |"))));
    // clap adds these two when it builds the command.
    listed.extend(["--help", "--version"].map(String::from));
    // The flag of each entry is the first word of a line that starts with `-`.
    let helped: std::collections::BTreeSet<String> = help
        .lines()
        .filter(|l| l.trim_start().starts_with('-'))
        .flat_map(|l| flags_in(l.split("  ").find(|p| !p.trim().is_empty()).unwrap_or("")))
        .collect();
    assert_eq!(listed, helped, "--help:\n{help}");
    for variable in ["BOOKING_DATABASE_URL", "BOOKING_MODE", "BOOKING_TRUSTED_PROXIES"] {
        assert!(help.contains(variable), "{variable} not in --help");
    }
}
