//! The 30-second tour: a theatre, a screen from layout text, a show, a hold, a booking, a ticket.
//!
//! Run: `cargo run --example quickstart -p booking-core`

use booking_core::*;
use std::sync::Arc;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), BookingError> {
    // The in-memory store is the embedded default; PostgreSQL and Redis adapters plug in the same way.
    let store: DynStore = Arc::new(MemoryStore::new());
    let engine = BookingEngine::new(
        store,
        Arc::new(SystemClock),
        TicketSigner::new(&[7u8; 32])?,
        EngineConfig::default(),
    )?;

    let theatre = engine
        .create_theatre(NewTheatre {
            name: "Le Grand Rex".into(),
            city: "Paris".into(),
            time_zone: "Europe/Paris".into(),
        })
        .await?;
    let layout = SeatLayout::parse_text(
        "section Stalls category=standard
         row A: 1-6 _ 7-12
         row B: w1 c2 3-10 c11 w12
         row C: 1-4 (5 6) 7-10@vip",
    )?;
    let screen = engine.add_screen(theatre.id, "Salle 1", layout).await?;

    let starts_at = engine.now().plus_millis(3 * 86_400_000);
    let show = engine
        .schedule_show(ScheduleShow {
            screen: screen.id,
            title: "Metropolis".into(),
            starts_at,
            ends_at: starts_at.plus_millis(2 * 3_600_000),
            sales_open_at: None,
            sales_close_at: None,
            no_orphan: true,
            tickets_per_owner_max: None,
            pricing: PricingPolicy::simple(Currency::EUR, &[("standard", 1_200), ("vip", 1_800)]).into(),
            accessible_release_before_ms: None,
        })
        .await?;

    let best = engine.best_available(show.id, &BestRequest { count: 2, ..Default::default() }).await?;
    println!("best two seats: {best:?}");

    let ann = OwnerId::new("ann@example.com")?;
    let seats = best.iter().map(|l| SeatChoice::new(l)).collect();
    let hold = engine
        .hold(HoldRequest {
            places: Vec::new(),
            show: show.id,
            owner: ann.clone(),
            seats,
            promo_code: None,
            accessible: false,
        })
        .await?;
    println!("held until {}, total {}", hold.expires_at, hold.quote.total());

    // Someone else trying the same seats is refused, and nothing changes for them.
    let bob = OwnerId::new("bob@example.com")?;
    let clash = HoldRequest {
        places: Vec::new(),
        show: show.id,
        owner: bob,
        seats: vec![SeatChoice::new(&best[0])],
        promo_code: None,
        accessible: false,
    };
    if let Err(e) = engine.hold(clash).await {
        println!("bob: {} ({e})", e.code());
    }

    let me = Actor::Owner(ann);
    let booking = engine.create_booking(hold.id, me.clone(), "order-1", Some(hold.fence)).await?;
    let confirmed = engine.confirm_booking(booking.id, me, "payment-123", "order-1-pay").await?;
    for ticket in &confirmed.tickets {
        println!("ticket {} -> {}", ticket.label, ticket.code);
    }
    let door = engine.check_in(&confirmed.tickets[0].code).await?;
    println!("checked in {}: booking is {}", door.ticket.label, door.booking.status);
    Ok(())
}
