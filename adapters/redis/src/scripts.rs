//! The Lua scripts (`lua/*.lua`) as one Redis function library: the shared prelude runs once,
//! when the library loads, and each script is a function of it, called with `FCALL`. (With
//! `EVALSHA` the prelude's closures were made again on every call: 2 µs of a hold's 9.)
//!
//! The library and its functions are named after a hash of their code, so processes of two
//! versions sharing one Redis each call their own.

use redis::{Cmd, Script, ToRedisArgs};
use std::sync::OnceLock;

const PRELUDE: &str = include_str!("../lua/prelude.lua");

/// One function of the library.
pub(crate) struct Function {
    name: String,
}

/// A call of a function on one show's keys, to which arguments are added.
pub(crate) struct Call {
    pub(crate) cmd: Cmd,
}

impl Call {
    /// Adds an argument (`ARGV[n]` of the script).
    pub(crate) fn arg<T: ToRedisArgs>(&mut self, arg: T) -> &mut Call {
        self.cmd.arg(arg);
        self
    }
}

impl Function {
    /// A call of this function with `key` as `KEYS[1]`.
    pub(crate) fn call(&self, key: &str) -> Call {
        let mut cmd = redis::cmd("FCALL");
        cmd.arg(&self.name).arg(1).arg(key);
        Call { cmd }
    }
}

/// Every script the store runs, and the library that holds them.
pub(crate) struct Scripts {
    /// The library's code, for `FUNCTION LOAD REPLACE`.
    pub(crate) library: String,
    pub(crate) place: Function,
    pub(crate) extend: Function,
    pub(crate) release: Function,
    pub(crate) hold: Function,
    pub(crate) consume: Function,
    pub(crate) unconsume: Function,
    pub(crate) settle: Function,
    pub(crate) confirm: Function,
    pub(crate) unconfirm: Function,
    pub(crate) confirmed: Function,
    pub(crate) free: Function,
    pub(crate) outbox: Function,
    pub(crate) sweep: Function,
    pub(crate) close: Function,
    pub(crate) cancelled: Function,
    pub(crate) seed: Function,
    pub(crate) ticks: Function,
    pub(crate) taken: Function,
}

const BODIES: [(&str, &str); 18] = [
    ("place", include_str!("../lua/place.lua")),
    ("extend", include_str!("../lua/extend.lua")),
    ("release", include_str!("../lua/release.lua")),
    ("hold", include_str!("../lua/hold.lua")),
    ("consume", include_str!("../lua/consume.lua")),
    ("unconsume", include_str!("../lua/unconsume.lua")),
    ("settle", include_str!("../lua/settle.lua")),
    ("confirm", include_str!("../lua/confirm.lua")),
    ("unconfirm", include_str!("../lua/unconfirm.lua")),
    ("confirmed", include_str!("../lua/confirmed.lua")),
    ("free", include_str!("../lua/free.lua")),
    ("outbox", include_str!("../lua/outbox.lua")),
    ("sweep", include_str!("../lua/sweep.lua")),
    ("close", include_str!("../lua/close.lua")),
    ("cancelled", include_str!("../lua/cancelled.lua")),
    ("seed", include_str!("../lua/seed.lua")),
    ("ticks", include_str!("../lua/ticks.lua")),
    ("taken", include_str!("../lua/taken.lua")),
];

/// The library's code and the name of its functions' common prefix.
fn build() -> (String, String) {
    let mut code = String::from(PRELUDE);
    for (name, body) in BODIES {
        code.push_str(&format!(
            "\nredis.register_function('{{LIB}}_{name}', function(KEYS, ARGV)\nbind(KEYS)\n{body}\nend)\n"
        ));
    }
    // The hash of the code names the library (the sha1 the redis crate computes for scripts).
    let lib = format!("bc_{}", &Script::new(&code).get_hash()[..16]);
    let code = format!("#!lua name={lib}\n{}", code.replace("{LIB}", &lib));
    (code, lib)
}

/// The scripts, built on first use.
pub(crate) fn scripts() -> &'static Scripts {
    static SCRIPTS: OnceLock<Scripts> = OnceLock::new();
    SCRIPTS.get_or_init(|| {
        let (library, lib) = build();
        let f = |name: &str| Function { name: format!("{lib}_{name}") };
        Scripts {
            place: f("place"),
            extend: f("extend"),
            release: f("release"),
            hold: f("hold"),
            consume: f("consume"),
            unconsume: f("unconsume"),
            settle: f("settle"),
            confirm: f("confirm"),
            unconfirm: f("unconfirm"),
            confirmed: f("confirmed"),
            free: f("free"),
            outbox: f("outbox"),
            sweep: f("sweep"),
            close: f("close"),
            cancelled: f("cancelled"),
            seed: f("seed"),
            ticks: f("ticks"),
            taken: f("taken"),
            library,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_script_is_a_function_of_one_library_named_by_its_code() {
        let s = scripts();
        let lib = s.library.lines().next().unwrap_or_default().trim_start_matches("#!lua name=").to_owned();
        assert!(lib.starts_with("bc_") && lib.len() == 19, "{lib}");
        for (name, _) in BODIES {
            assert!(s.library.contains(&format!("register_function('{lib}_{name}'")), "{name}");
        }
        assert_eq!(s.place.name, format!("{lib}_place"));
        assert!(!s.library.contains("{LIB}"));
    }
}
