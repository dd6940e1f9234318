//! Engine operations by name, with their arguments as a JSON object and their answers in JSON:
//! how the Python binding calls the engine (its keyword arguments become the object), and how
//! any host that speaks JSON can. One decoder for every such host, so one place to fuzz
//! (`fuzz/`, target `python_args`).
//!
//! ```
//! # use booking_core::{BookingEngine, EngineConfig, ManualClock, MemoryStore, TicketSigner, Timestamp};
//! # use std::sync::Arc;
//! let clock = Arc::new(ManualClock::new(Timestamp::from_millis(1_900_000_000_000)));
//! let signer = TicketSigner::new(&[7u8; 32]).unwrap();
//! let engine = BookingEngine::new(Arc::new(MemoryStore::new()), clock, signer, EngineConfig::default()).unwrap();
//! let theatre = r#"{"name": "Rex", "city": "Lyon", "time_zone": "Europe/Paris"}"#;
//! let answer = booking_front::block_on(booking_front::by_name::call(&engine, "create_theatre", theatre)).unwrap();
//! assert!(answer.contains("\"city\":\"Lyon\""));
//! let refused = booking_front::block_on(booking_front::by_name::call(&engine, "theatre", r#"{"id": "one"}"#));
//! assert_eq!(refused.unwrap_err().code().as_str(), "INVALID_INPUT");
//! ```

use crate as front;
use booking_core::*;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// Who acts: an owner's name, or staff when absent.
fn actor(owner: Option<String>) -> Result<Actor, BookingError> {
    match owner {
        Some(name) => {
            Ok(Actor::Owner(OwnerId::new(&name).map_err(|e| BookingError::invalid("owner", e.to_string()))?))
        }
        None => Ok(Actor::Staff),
    }
}

fn args<T: DeserializeOwned>(op: &str, json: &str) -> Result<T, BookingError> {
    serde_json::from_str(json).map_err(|e| BookingError::invalid("arguments", format!("{op}: {e}")))
}

fn answer<T: serde::Serialize>(v: &T) -> Result<String, BookingError> {
    serde_json::to_string(v).map_err(|e| BookingError::StoreFailure { message: format!("encoding: {e}") })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Id {
    id: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AddScreen {
    theatre: TheatreId,
    name: String,
    /// The layout in its text form, or its JSON form.
    layout_text: Option<String>,
    layout_json: Option<Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UpdateTheatre {
    theatre: TheatreId,
    name: String,
    city: String,
    time_zone: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UpdateScreen {
    screen: ScreenId,
    name: String,
    /// The layout in its text form, or its JSON form, as for `add_screen`.
    layout_text: Option<String>,
    layout_json: Option<Value>,
}

/// `ScheduleShow` with the policy kept as JSON, so that a policy the pricing refuses is reported
/// as `INVALID_PRICING` with the pricing's own message, not as malformed arguments.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScheduleArgs {
    screen: ScreenId,
    title: String,
    starts_at: Timestamp,
    ends_at: Timestamp,
    sales_open_at: Option<Timestamp>,
    sales_close_at: Option<Timestamp>,
    #[serde(default = "yes")]
    no_orphan: bool,
    tickets_per_owner_max: Option<u32>,
    accessible_release_before_ms: Option<i64>,
    pricing: Value,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuoteArgs {
    show: ShowId,
    seats: Vec<SeatChoice>,
    #[serde(default)]
    places: Vec<booking_core::PlaceChoice>,
    promo_code: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BestArgs {
    show: ShowId,
    #[serde(flatten)]
    request: BestRequest,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HoldAct {
    hold: HoldId,
    owner: Option<String>,
    fence: Option<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateArgs {
    hold: HoldId,
    owner: Option<String>,
    idempotency_key: String,
    fence: Option<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfirmArgs {
    booking: BookingId,
    owner: Option<String>,
    payment_ref: String,
    idempotency_key: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BookingAct {
    booking: BookingId,
    owner: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Owner {
    owner: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Code {
    code: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventsArgs {
    show: ShowId,
    after: u64,
    limit: usize,
}

/// One show's cursor of `events_since_each`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Cursor {
    show: ShowId,
    after: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventsEachArgs {
    from: Vec<Cursor>,
    limit: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LayoutArgs {
    text: Option<String>,
    json: Option<Value>,
}

fn layout(text: Option<String>, json: Option<Value>) -> Result<SeatLayout, BookingError> {
    match (text, json) {
        (Some(text), None) => Ok(SeatLayout::parse_text(&text)?),
        (None, Some(json)) => Ok(SeatLayout::from_json(&json.to_string())?),
        _ => Err(BookingError::invalid("layout", "give the text form or the JSON form, one of them")),
    }
}

/// The layout as Python sees it: its JSON form and its compiled seats.
fn layout_view(l: &SeatLayout) -> Value {
    let seats: Vec<Value> = l
        .seats()
        .iter()
        .map(|s| {
            json!({
                "label": &*s.label, "x": s.x, "y": s.y,
                "category": l.categories().get(usize::from(s.category)),
                "wheelchair": s.flags.is_wheelchair(), "companion": s.flags.is_companion(),
                "blocked": s.flags.is_blocked(), "pair": s.pair_group,
            })
        })
        .collect();
    json!({"spec": l, "seats": seats, "text": l.to_text()})
}

/// The view of a booking, with its show read (from the store's cache on PostgreSQL).
async fn booking_view(engine: &BookingEngine, b: &Booking) -> Result<front::Booking, BookingError> {
    Ok(front::Booking::new(b, &*engine.show(b.show).await?, engine.now()))
}

/// Parses a layout from its text or JSON form (`{"text": ...}` or `{"json": ...}`); answers its
/// view: its JSON form, its compiled seats and its text form.
pub fn parse_layout(json: &str) -> Result<String, BookingError> {
    let a: LayoutArgs = args("parse_layout", json)?;
    answer(&layout_view(&layout(a.text, a.json)?))
}

/// Arguments of `verify_ticket`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VerifyTicket {
    code: String,
    public_keys: Vec<String>,
}

/// Verifies a ticket code offline with public keys alone (`{"code": ..., "public_keys": [...]}`);
/// answers its claims.
pub fn verify_ticket(json: &str) -> Result<String, BookingError> {
    let a: VerifyTicket = args("verify_ticket", json)?;
    answer(&front::verify_ticket(&a.code, &a.public_keys)?)
}

/// Every operation [`call`] knows, by name.
pub const OPERATIONS: [&str; 35] = [
    "parse_layout",
    "create_theatre",
    "theatres",
    "add_screen",
    "update_theatre",
    "theatre",
    "screen",
    "log_head",
    "ticket_keys",
    "remove_theatre",
    "update_screen",
    "remove_screen",
    "screens",
    "schedule_show",
    "show",
    "shows",
    "cancel_show",
    "seat_map",
    "quote",
    "best_available",
    "hold",
    "extend_hold",
    "release_hold",
    "hold_info",
    "create_booking",
    "confirm_booking",
    "cancel_booking",
    "refund_booking",
    "booking",
    "bookings_of",
    "tickets",
    "check_in",
    "sweep_expired",
    "events_since",
    "events_since_each",
];

/// Runs operation `op` on `engine` with `json` arguments; answers in JSON. An operation not in
/// [`OPERATIONS`], arguments that do not decode (a missing or unknown field, a wrong type) and
/// everything the engine refuses are a typed [`BookingError`] naming the field; a refused call
/// changes nothing.
pub async fn call(engine: &BookingEngine, op: &str, json: &str) -> Result<String, BookingError> {
    match op {
        "parse_layout" => parse_layout(json),
        "create_theatre" => answer(&front::Theatre::from(&engine.create_theatre(args(op, json)?).await?)),
        "theatres" => answer(&engine.theatres().await?.iter().map(front::Theatre::from).collect::<Vec<_>>()),
        "add_screen" => {
            let a: AddScreen = args(op, json)?;
            let screen = engine.add_screen(a.theatre, &a.name, layout(a.layout_text, a.layout_json)?).await?;
            answer(&front::Screen::from(&screen))
        }
        "update_theatre" => {
            let a: UpdateTheatre = args(op, json)?;
            let theatre = NewTheatre { name: a.name, city: a.city, time_zone: a.time_zone };
            answer(&front::Theatre::from(&engine.update_theatre(a.theatre, theatre).await?))
        }
        "theatre" => {
            answer(&front::Theatre::from(&engine.theatre(TheatreId(args::<Id>(op, json)?.id)).await?))
        }
        "screen" => answer(&front::Screen::from(&engine.screen(ScreenId(args::<Id>(op, json)?.id)).await?)),
        "log_head" => answer(&engine.log_head(ShowId(args::<Id>(op, json)?.id)).await?),
        "ticket_keys" => answer(&front::TicketKeys::new(&engine.ticket_keys())),
        "remove_theatre" => answer(&engine.remove_theatre(TheatreId(args::<Id>(op, json)?.id)).await?),
        "update_screen" => {
            let a: UpdateScreen = args(op, json)?;
            let screen =
                engine.update_screen(a.screen, &a.name, layout(a.layout_text, a.layout_json)?).await?;
            answer(&front::Screen::from(&screen))
        }
        "remove_screen" => answer(&engine.remove_screen(ScreenId(args::<Id>(op, json)?.id)).await?),
        "screens" => {
            let a: Id = args(op, json)?;
            let screens = engine.screens(TheatreId(a.id)).await?;
            answer(&screens.iter().map(front::Screen::from).collect::<Vec<_>>())
        }
        "schedule_show" => {
            let a: ScheduleArgs = args(op, json)?;
            let pricing = PricingPolicy::from_json(&a.pricing.to_string()).map_err(BookingError::Pricing)?;
            let req = ScheduleShow {
                screen: a.screen,
                title: a.title,
                starts_at: a.starts_at,
                ends_at: a.ends_at,
                sales_open_at: a.sales_open_at,
                sales_close_at: a.sales_close_at,
                no_orphan: a.no_orphan,
                tickets_per_owner_max: a.tickets_per_owner_max,
                pricing: pricing.into(),
                accessible_release_before_ms: a.accessible_release_before_ms,
            };
            answer(&front::Show::from(&*engine.schedule_show(req).await?))
        }
        "show" => answer(&front::Show::from(&*engine.show(ShowId(args::<Id>(op, json)?.id)).await?)),
        "shows" => {
            let shows = engine.shows(&args(op, json)?).await?;
            answer(&shows.iter().map(|s| front::Show::from(&**s)).collect::<Vec<_>>())
        }
        "cancel_show" => {
            let c = engine.cancel_show(ShowId(args::<Id>(op, json)?.id)).await?;
            answer(&front::ShowCancellation::from(&c))
        }
        "seat_map" => {
            let show = engine.show(ShowId(args::<Id>(op, json)?.id)).await?;
            answer(&front::SeatMap::new(&show, &engine.seat_states(&show).await?, 0))
        }
        "quote" => {
            let a: QuoteArgs = args(op, json)?;
            answer(&front::Quote::from(
                &engine.quote(a.show, &a.seats, &a.places, a.promo_code.as_deref()).await?,
            ))
        }
        "best_available" => {
            let a: BestArgs = args(op, json)?;
            answer(&engine.best_available(a.show, &a.request).await?)
        }
        "hold" => answer(&front::Hold::new(&engine.hold(args(op, json)?).await?, engine.now())),
        "extend_hold" => {
            let a: HoldAct = args(op, json)?;
            answer(&front::Hold::new(
                &engine.extend_hold(a.hold, actor(a.owner)?, a.fence).await?,
                engine.now(),
            ))
        }
        "release_hold" => {
            let a: HoldAct = args(op, json)?;
            answer(&front::Hold::new(
                &engine.release_hold(a.hold, actor(a.owner)?, a.fence).await?,
                engine.now(),
            ))
        }
        "hold_info" => answer(&front::Hold::new(
            &engine.hold_info(HoldId(args::<Id>(op, json)?.id)).await?,
            engine.now(),
        )),
        "create_booking" => {
            let a: CreateArgs = args(op, json)?;
            let b = engine.create_booking(a.hold, actor(a.owner)?, &a.idempotency_key, a.fence).await?;
            answer(&booking_view(engine, &b).await?)
        }
        "confirm_booking" => {
            let a: ConfirmArgs = args(op, json)?;
            let c = engine
                .confirm_booking(a.booking, actor(a.owner)?, &a.payment_ref, &a.idempotency_key)
                .await?;
            answer(&front::Confirmation::new(&c, &*engine.show(c.booking.show).await?, engine.now()))
        }
        "cancel_booking" => {
            let a: BookingAct = args(op, json)?;
            answer(&booking_view(engine, &engine.cancel_booking(a.booking, actor(a.owner)?).await?).await?)
        }
        "refund_booking" => {
            let a: BookingAct = args(op, json)?;
            answer(&booking_view(engine, &engine.refund_booking(a.booking, actor(a.owner)?).await?).await?)
        }
        "booking" => {
            let a: BookingAct = args(op, json)?;
            answer(&booking_view(engine, &engine.booking(a.booking, &actor(a.owner)?).await?).await?)
        }
        "bookings_of" => {
            let a: Owner = args(op, json)?;
            let who = OwnerId::new(&a.owner).map_err(|e| BookingError::invalid("owner", e.to_string()))?;
            let mut views = Vec::new();
            for b in engine.bookings_of(&who).await? {
                views.push(booking_view(engine, &b).await?);
            }
            answer(&views)
        }
        "tickets" => {
            let a: BookingAct = args(op, json)?;
            let tickets = engine.tickets(a.booking, &actor(a.owner)?).await?;
            answer(&tickets.iter().map(front::Ticket::from).collect::<Vec<_>>())
        }
        "check_in" => {
            let c = engine.check_in(&args::<Code>(op, json)?.code).await?;
            answer(&front::CheckIn::new(&c, &*engine.show(c.booking.show).await?, engine.now()))
        }
        "sweep_expired" => answer(&front::SweepReport::from(&engine.sweep_expired().await?)),
        "events_since" => {
            let a: EventsArgs = args(op, json)?;
            let events = engine.events_since(a.show, a.after, a.limit).await?;
            answer(&front::Event::all_of(engine, &events).await?)
        }
        "events_since_each" => {
            let a: EventsEachArgs = args(op, json)?;
            let from: Vec<(ShowId, u64)> = a.from.iter().map(|c| (c.show, c.after)).collect();
            let events = engine.events_since_each(&from, a.limit).await?;
            answer(&front::Event::all_of(engine, &events).await?)
        }
        other => Err(BookingError::invalid("op", format!("unknown operation {other:?}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_is_known_and_no_other() {
        let clock = std::sync::Arc::new(ManualClock::new(Timestamp::from_millis(1_900_000_000_000)));
        let signer = TicketSigner::new(&[7u8; 32]).unwrap_or_else(|e| panic!("{e}"));
        let engine = BookingEngine::new(
            std::sync::Arc::new(MemoryStore::new()),
            clock,
            signer,
            EngineConfig::default(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        for op in OPERATIONS.iter().chain(&["nope"]) {
            let e = front::block_on(call(&engine, op, "[]")).err();
            let unknown = e.is_some_and(|e| e.to_string().contains("unknown operation"));
            assert_eq!(unknown, *op == "nope", "{op}");
        }
    }
}
