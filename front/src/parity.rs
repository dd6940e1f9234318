//! What each front offers of the engine: one list that the fronts are checked against
//! (`front/tests/parity.rs`, and booking-server's own test for HTTP) and that the README's
//! parity table is generated from. An operation, error code or store option a front lacks says
//! why in the list, or the check fails.

/// How a front offers one thing: under a name, or not at all for a stated reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offer {
    /// Offered, under the front's own spelling (`create_theatre`, `createTheatre`, or for HTTP
    /// `POST /v1/admin/theatres`).
    Named(&'static str),
    /// Not offered, and why.
    Not(&'static str),
}

/// One engine operation and what every front calls it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The `BookingEngine` method.
    pub engine: &'static str,
    /// What it does, for the README's table.
    pub what: &'static str,
    /// Python (`booking_core.Engine`, and `AsyncEngine` beside it).
    pub python: Offer,
    /// Node (`Engine` of the npm package).
    pub node: Offer,
    /// Kotlin and Swift (`BookingEngine` of the uniffi binding).
    pub mobile: Offer,
    /// HTTP (booking-server): `METHOD /path` as the OpenAPI document lists it.
    pub http: Offer,
}

use Offer::{Named as N, Not};

const MOBILE_MEMORY: &str = "the mobile engine runs on the in-memory store of one device";
const HTTP_LAYOUT: &str = "the service answers with seat maps, which carry the layout";
const HTTP_PAYS: &str = "the service confirms through `pay`, which charges the card first";
const HTTP_REPAYS: &str =
    "the service gives the money back too (the `_and_repay` / `_for_customer` operations)";
const HTTP_STREAM: &str = "a live stream starts at the head by itself";
const BINDING_PAYS: &str = "a host takes the payment itself, then calls `confirm_booking` with its reference";

/// Every operation of the engine, in the order of the README's table.
pub const OPERATIONS: &[Operation] = &[
    op("create_theatre", "create a theatre", "createTheatre", "createTheatre", N("POST /v1/admin/theatres")),
    op("theatre", "one theatre", "theatre", "theatre", N("GET /v1/theatres/{id}")),
    op("theatres", "list theatres", "theatres", "theatres", N("GET /v1/theatres")),
    op(
        "update_theatre",
        "rename, move a theatre",
        "updateTheatre",
        "updateTheatre",
        N("PUT /v1/admin/theatres/{id}"),
    ),
    op(
        "remove_theatre",
        "remove a theatre",
        "removeTheatre",
        "removeTheatre",
        N("DELETE /v1/admin/theatres/{id}"),
    ),
    op("add_screen", "add a screen", "addScreen", "addScreen", N("POST /v1/admin/theatres/{id}/screens")),
    op("screen", "one screen", "screen", "screen", N("GET /v1/screens/{id}")),
    op("screens", "list a theatre's screens", "screens", "screens", N("GET /v1/theatres/{id}/screens")),
    op(
        "update_screen",
        "rename, re-lay a screen",
        "updateScreen",
        "updateScreen",
        N("PUT /v1/admin/screens/{id}"),
    ),
    op(
        "remove_screen",
        "remove a screen",
        "removeScreen",
        "removeScreen",
        N("DELETE /v1/admin/screens/{id}"),
    ),
    op("schedule_show", "schedule a show", "scheduleShow", "scheduleShow", N("POST /v1/admin/shows")),
    op("show", "one show", "show", "show", N("GET /v1/shows/{id}")),
    op("shows", "list shows", "shows", "shows", N("GET /v1/shows")),
    op("cancel_show", "cancel a show", "cancelShow", "cancelShow", Not(HTTP_REPAYS)),
    pays("cancel_show_and_repay", "cancel a show, repay its bookings", N("POST /v1/admin/shows/{id}/cancel")),
    op("seat_map", "seat map", "seatMap", "seatMap", N("GET /v1/shows/{id}/seats")),
    Operation {
        engine: "seat_states",
        what: "seat states without the layout",
        python: Not("`seat_map` answers the same with the layout"),
        node: Not("`seatMap` answers the same with the layout"),
        mobile: Not("`seatMap` answers the same with the layout"),
        http: Not(HTTP_LAYOUT),
    },
    op("quote", "price seats and standing places", "quote", "quote", N("POST /v1/shows/{id}/quote")),
    op(
        "best_available",
        "best seats",
        "bestAvailable",
        "bestAvailable",
        N("GET /v1/shows/{id}/best-available"),
    ),
    op("hold", "hold seats and standing places", "hold", "hold", N("POST /v1/shows/{id}/holds")),
    op("extend_hold", "extend a hold", "extendHold", "extendHold", N("POST /v1/holds/{id}/extend")),
    op("release_hold", "release a hold", "releaseHold", "releaseHold", N("DELETE /v1/holds/{id}")),
    op("hold_info", "one hold", "holdInfo", "holdInfo", N("GET /v1/holds/{id}")),
    op("create_booking", "book a hold", "createBooking", "createBooking", N("POST /v1/bookings")),
    op(
        "confirm_booking",
        "confirm with a payment's reference",
        "confirmBooking",
        "confirmBooking",
        Not(HTTP_PAYS),
    ),
    pays("pay", "charge, then confirm (voids the charge if refused)", N("POST /v1/bookings/{id}/pay")),
    op("cancel_booking", "cancel a booking", "cancelBooking", "cancelBooking", Not(HTTP_REPAYS)),
    pays("cancel_for_customer", "cancel, refunding a paid booking", N("POST /v1/bookings/{id}/cancel")),
    op("refund_booking", "refund a booking", "refundBooking", "refundBooking", Not(HTTP_REPAYS)),
    pays("refund_and_repay", "refund and give the money back", N("POST /v1/bookings/{id}/refund")),
    op("booking", "one booking", "booking", "booking", N("GET /v1/bookings/{id}")),
    op("bookings_of", "an owner's bookings", "bookingsOf", "bookingsOf", N("GET /v1/bookings")),
    op("tickets", "a booking's tickets", "tickets", "tickets", N("GET /v1/bookings/{id}/tickets")),
    op("check_in", "check a ticket in", "checkIn", "checkIn", N("POST /v1/check-in")),
    op(
        "ticket_keys",
        "public keys that verify tickets",
        "ticketKeys",
        "ticketKeys",
        N("GET /v1/ticket-keys"),
    ),
    Operation {
        engine: "sweep_expired",
        what: "tidy expired holds",
        python: N("sweep_expired"),
        node: N("sweepExpired"),
        mobile: N("sweepExpired"),
        http: Not("the service sweeps on its own, every second"),
    },
    op("events_since", "a show's log", "eventsSince", "eventsSince", N("GET /v1/shows/{id}/events")),
    op("log_head", "the last seq of a show's log", "logHead", "logHead", Not(HTTP_STREAM)),
    Operation {
        engine: "events_since_each",
        what: "many shows' logs at once",
        python: N("events_since_each"),
        node: N("eventsSinceEach"),
        mobile: N("eventsSinceEach"),
        http: Not("a client follows a show's live stream; the service reads many logs for its notifier"),
    },
];

/// An operation that moves money through a `PaymentGateway`: the service's, not the bindings'.
const fn pays(engine: &'static str, what: &'static str, http: Offer) -> Operation {
    Operation {
        engine,
        what,
        python: Not(BINDING_PAYS),
        node: Not(BINDING_PAYS),
        mobile: Not(BINDING_PAYS),
        http,
    }
}

/// An operation every front offers under the usual spellings: snake_case in Python, camelCase in
/// Node, Kotlin and Swift.
const fn op(
    engine: &'static str,
    what: &'static str,
    node: &'static str,
    mobile: &'static str,
    http: Offer,
) -> Operation {
    Operation { engine, what, python: N(engine), node: N(node), mobile: N(mobile), http }
}

/// One store option and how each front takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreOption {
    /// The field of [`crate::StoreConfig`] (feature `stores`).
    pub option: &'static str,
    /// Python's `Engine(...)` keyword.
    pub python: Offer,
    /// Node's `Engine.open({...})` key.
    pub node: Offer,
    /// The mobile binding.
    pub mobile: Offer,
    /// booking-server's command-line flag.
    pub http: Offer,
}

const POOL_DEFAULT: &str = "the adapter's default suits an embedded engine";

/// Every store option, in the order of the README's table.
pub const STORE_OPTIONS: &[StoreOption] = &[
    StoreOption {
        option: "database_url",
        python: N("database_url"),
        node: N("databaseUrl"),
        mobile: Not(MOBILE_MEMORY),
        http: N("--database-url"),
    },
    StoreOption {
        option: "redis_url",
        python: N("redis_url"),
        node: N("redisUrl"),
        mobile: Not(MOBILE_MEMORY),
        http: N("--redis-url"),
    },
    StoreOption {
        option: "schema",
        python: N("schema"),
        node: N("schema"),
        mobile: Not(MOBILE_MEMORY),
        http: N("--database-schema"),
    },
    StoreOption {
        option: "max_connections",
        python: Not(POOL_DEFAULT),
        node: Not(POOL_DEFAULT),
        mobile: Not(MOBILE_MEMORY),
        http: N("--database-connections"),
    },
    StoreOption {
        option: "batch_lanes",
        python: Not(POOL_DEFAULT),
        node: Not(POOL_DEFAULT),
        mobile: Not(MOBILE_MEMORY),
        http: N("--database-batch-lanes"),
    },
    StoreOption {
        option: "application_name",
        python: Not(POOL_DEFAULT),
        node: Not(POOL_DEFAULT),
        mobile: Not(MOBILE_MEMORY),
        http: Not("the service names its connections `booking-server`"),
    },
];

/// The README's parity table, generated from [`OPERATIONS`] and [`STORE_OPTIONS`].
pub fn readme_table() -> String {
    fn cell(o: Offer) -> String {
        match o {
            N(name) => format!("`{name}`"),
            Not(why) => format!("no: {why}"),
        }
    }
    let mut out = String::from(
        "| engine | what | Python | Node | Kotlin / Swift | HTTP |\n|---|---|---|---|---|---|\n",
    );
    for o in OPERATIONS {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            o.engine,
            o.what,
            cell(o.python),
            cell(o.node),
            cell(o.mobile),
            cell(o.http)
        ));
    }
    for s in STORE_OPTIONS {
        out.push_str(&format!(
            "| store option `{}` | | {} | {} | {} | {} |\n",
            s.option,
            cell(s.python),
            cell(s.node),
            cell(s.mobile),
            cell(s.http)
        ));
    }
    out
}
