//! The Lua scripts (`lua/*.lua`), each with the shared prelude, compiled once per process and
//! called by SHA.

use redis::Script;
use std::sync::OnceLock;

const PRELUDE: &str = include_str!("../lua/prelude.lua");

/// Every script the store runs.
pub(crate) struct Scripts {
    pub(crate) place: Script,
    pub(crate) extend: Script,
    pub(crate) release: Script,
    pub(crate) hold: Script,
    pub(crate) consume: Script,
    pub(crate) unconsume: Script,
    pub(crate) settle: Script,
    pub(crate) confirm: Script,
    pub(crate) unconfirm: Script,
    pub(crate) confirmed: Script,
    pub(crate) free: Script,
    pub(crate) outbox: Script,
    pub(crate) cells: Script,
    pub(crate) sweep: Script,
    pub(crate) close: Script,
    pub(crate) cancelled: Script,
    pub(crate) seed: Script,
    pub(crate) ticks: Script,
}

fn script(body: &str) -> Script {
    Script::new(&format!("{PRELUDE}\n{body}"))
}

/// The scripts, built on first use.
pub(crate) fn scripts() -> &'static Scripts {
    static SCRIPTS: OnceLock<Scripts> = OnceLock::new();
    SCRIPTS.get_or_init(|| Scripts {
        place: script(include_str!("../lua/place.lua")),
        extend: script(include_str!("../lua/extend.lua")),
        release: script(include_str!("../lua/release.lua")),
        hold: script(include_str!("../lua/hold.lua")),
        consume: script(include_str!("../lua/consume.lua")),
        unconsume: script(include_str!("../lua/unconsume.lua")),
        settle: script(include_str!("../lua/settle.lua")),
        confirm: script(include_str!("../lua/confirm.lua")),
        unconfirm: script(include_str!("../lua/unconfirm.lua")),
        confirmed: script(include_str!("../lua/confirmed.lua")),
        free: script(include_str!("../lua/free.lua")),
        outbox: script(include_str!("../lua/outbox.lua")),
        cells: script(include_str!("../lua/cells.lua")),
        sweep: script(include_str!("../lua/sweep.lua")),
        close: script(include_str!("../lua/close.lua")),
        cancelled: script(include_str!("../lua/cancelled.lua")),
        seed: script(include_str!("../lua/seed.lua")),
        ticks: script(include_str!("../lua/ticks.lua")),
    })
}
