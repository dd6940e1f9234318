//! The seat map's JSON, rendered for a ticket rush. The part of every seat that never changes
//! for a show (label, row, section, position, category, flags, loveseat partners) is encoded
//! once per show and kept; a read writes only the statuses and prices after it. And the last
//! map rendered is kept too: a read that finds the seats as they were (the same statuses and
//! prices, computed afresh each time) sends those bytes again without copying them, followed by
//! its own `seq` and `at`. The answer is the same JSON as serializing booking-front's
//! [`SeatMapView`](booking_front::SeatMapView) (a test checks it) at a fraction of the cost:
//! serializing the whole map spent most of a read escaping the same strings again.

use booking_core::{Money, SeatIdx, SeatStates, SeatStatus, Show, ShowId};
use booking_front::{CategoryView, Instant, SeatMapZone, flag_names};
use bytes::Bytes;
use dashmap::DashMap;
use parking_lot::Mutex;
use serde::Serialize;
use std::io::Write;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};

/// Bytes of encoded seats kept for all shows together; past it, shows are forgotten (and
/// encoded again when read).
pub const SEAT_MAP_CACHE_BYTES_MAX: usize = 64 << 20;

/// What never changes in a seat's entry, in the order of [`booking_front::SeatMapSeat`].
#[derive(Serialize)]
struct StaticSeat<'a> {
    label: &'a str,
    row: &'a str,
    section: &'a str,
    x: i32,
    y: i32,
    category: &'a str,
    flags: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pair: Option<Vec<&'a str>>,
}

/// The unchanging part of every seat's entry of one show: `{"label":...,"pair":[...],` each.
struct StaticSeats {
    bytes: Vec<u8>,
    /// Where each seat's part ends in `bytes`.
    ends: Vec<u32>,
}

impl StaticSeats {
    fn encode(show: &Show) -> StaticSeats {
        let layout = &show.layout;
        let mut bytes = Vec::with_capacity(layout.seat_count() * 192);
        let mut ends = Vec::with_capacity(layout.seat_count());
        for (i, seat) in layout.seats().iter().enumerate() {
            let idx = SeatIdx(u32::try_from(i).unwrap_or(u32::MAX));
            let row = layout.row_of(idx);
            let partners: Vec<&str> = layout
                .pair_partners(idx)
                .iter()
                .filter(|p| **p != idx)
                .filter_map(|p| layout.seat(*p))
                .map(|s| &*s.label)
                .collect();
            let entry = StaticSeat {
                label: &seat.label,
                row: row.map_or("", |r| r.name.as_str()),
                section: row
                    .and_then(|r| layout.sections().get(r.section as usize))
                    .map_or("", String::as_str),
                x: seat.x,
                y: seat.y,
                category: layout.categories().get(usize::from(seat.category)).map_or("", String::as_str),
                flags: flag_names(seat.flags),
                pair: partners_of(&partners),
            };
            // Writing to a Vec cannot fail, and these fields always serialize.
            let _ = serde_json::to_writer(&mut bytes, &entry);
            // `{...}` becomes `{...,`: the statuses follow.
            if let Some(last) = bytes.last_mut() {
                *last = b',';
            }
            ends.push(u32::try_from(bytes.len()).unwrap_or(u32::MAX));
        }
        StaticSeats { bytes, ends }
    }

    fn seat(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.bytes[start..self.ends[i] as usize]
    }
}

fn partners_of<'a>(partners: &[&'a str]) -> Option<Vec<&'a str>> {
    (!partners.is_empty()).then(|| partners.to_vec())
}

fn status_word(s: SeatStatus) -> &'static [u8] {
    match s {
        SeatStatus::Available => b"available",
        SeatStatus::Held => b"held",
        SeatStatus::Pending => b"pending",
        SeatStatus::Booked => b"booked",
        SeatStatus::Blocked => b"blocked",
    }
}

/// A show's kept parts: its seats' unchanging JSON, and the last map rendered from it.
struct ShowEntry {
    fixed: StaticSeats,
    last: Mutex<Option<Arc<Rendered>>>,
}

impl ShowEntry {
    /// What the entry counts against the budget: its fixed part, and about as much again plus
    /// the statuses and prices for the last map.
    fn charge(&self) -> usize {
        2 * (self.fixed.bytes.len() + self.fixed.ends.len() * 4) + self.fixed.ends.len() * 48
    }
}

/// A map rendered: the states it shows, and its JSON but for the closing `seq` and `at`.
struct Rendered {
    statuses: Vec<SeatStatus>,
    prices: Vec<Option<Money>>,
    head: Bytes,
}

/// Renders seat maps, keeping each show's parts within a budget of bytes
/// ([`SEAT_MAP_CACHE_BYTES_MAX`] by default).
pub struct SeatMapRenderer {
    shows: DashMap<ShowId, Arc<ShowEntry>>,
    bytes: AtomicUsize,
    budget: usize,
}

impl Default for SeatMapRenderer {
    fn default() -> Self {
        SeatMapRenderer::with_budget(SEAT_MAP_CACHE_BYTES_MAX)
    }
}

impl std::fmt::Debug for SeatMapRenderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SeatMapRenderer")
            .field("shows", &self.shows.len())
            .field("bytes", &self.kept_bytes())
            .finish()
    }
}

impl SeatMapRenderer {
    /// A renderer keeping at most `budget` bytes.
    pub fn with_budget(budget: usize) -> SeatMapRenderer {
        SeatMapRenderer { shows: DashMap::new(), bytes: AtomicUsize::new(0), budget }
    }

    /// Bytes kept now.
    pub fn kept_bytes(&self) -> usize {
        self.bytes.load(Ordering::Relaxed)
    }

    fn entry(&self, show: &Show) -> Arc<ShowEntry> {
        if let Some(kept) = self.shows.get(&show.id) {
            return kept.clone();
        }
        let entry = Arc::new(ShowEntry { fixed: StaticSeats::encode(show), last: Mutex::new(None) });
        let size = entry.charge();
        if size > self.budget {
            return entry;
        }
        // Make room: forget shows (any: each is cheap to encode again) until it fits.
        while self.kept_bytes() + size > self.budget {
            let Some(victim) = self.shows.iter().next().map(|e| *e.key()) else { break };
            if let Some((_, gone)) = self.shows.remove(&victim) {
                self.bytes.fetch_sub(gone.charge(), Ordering::Relaxed);
            }
        }
        if self.shows.insert(show.id, entry.clone()).is_none() {
            self.bytes.fetch_add(size, Ordering::Relaxed);
        }
        entry
    }

    /// The JSON of `show`'s seat map in `states`, reflecting its log up to `seq`.
    pub fn render(&self, show: &Show, seq: u64, states: &SeatStates) -> SeatMapBody {
        let entry = self.entry(show);
        let last = entry.last.lock().clone();
        let head = match last {
            Some(r) if r.statuses == states.statuses && r.prices == states.category_prices => r.head.clone(),
            _ => {
                let head = Bytes::from(render_head(&entry.fixed, show, states));
                let rendered = Rendered {
                    statuses: states.statuses.clone(),
                    prices: states.category_prices.clone(),
                    head: head.clone(),
                };
                *entry.last.lock() = Some(Arc::new(rendered));
                head
            }
        };
        let mut tail = Vec::with_capacity(64);
        let _ = write!(tail, ",\"seq\":{seq},\"at\":");
        let _ = serde_json::to_writer(&mut tail, &Instant::from(states.at));
        tail.push(b'}');
        SeatMapBody { chunks: [Some(head), Some(Bytes::from(tail))] }
    }
}

/// Everything of the map's JSON but its closing `seq` and `at`.
fn render_head(fixed: &StaticSeats, show: &Show, states: &SeatStates) -> Vec<u8> {
    let categories: Vec<CategoryView> = show
        .layout
        .categories()
        .iter()
        .zip(&states.category_prices)
        .map(|(name, price)| CategoryView { name: name.clone(), price: price.map(|m| m.minor) })
        .collect();
    // A price as JSON, once per category (`null` when it cannot be priced).
    let prices: Vec<Vec<u8>> = categories
        .iter()
        .map(|c| c.price.map_or_else(|| b"null".to_vec(), |m| m.to_string().into_bytes()))
        .collect();
    let mut out = Vec::with_capacity(fixed.bytes.len() + fixed.ends.len() * 32 + 512);
    let currency = show.pricing.currency();
    let _ = write!(
        out,
        "{{\"show\":{},\"available\":{},\"currency\":\"{}\",\"exponent\":{},\"categories\":",
        show.id.0,
        states.available,
        currency.code(),
        currency.exponent()
    );
    let _ = serde_json::to_writer(&mut out, &categories);
    out.extend_from_slice(b",\"seats\":[");
    let seats = show.layout.seats();
    for (i, status) in states.statuses.iter().enumerate().take(fixed.ends.len()) {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(fixed.seat(i));
        out.extend_from_slice(b"\"status\":\"");
        out.extend_from_slice(status_word(*status));
        out.extend_from_slice(b"\",\"price\":");
        let category = seats.get(i).map_or(usize::MAX, |s| usize::from(s.category));
        out.extend_from_slice(prices.get(category).map_or(b"null".as_slice(), Vec::as_slice));
        out.push(b'}');
    }
    out.extend_from_slice(b"],\"zones\":");
    let _ = serde_json::to_writer(&mut out, &SeatMapZone::of(show, &states.statuses));
    out
}

/// A seat map's body: the kept part, sent without a copy, then this read's `seq` and `at`.
#[derive(Debug)]
pub struct SeatMapBody {
    chunks: [Option<Bytes>; 2],
}

impl SeatMapBody {
    /// The whole JSON in one buffer (for tests and embedders that want bytes).
    pub fn to_vec(&self) -> Vec<u8> {
        self.chunks.iter().flatten().flat_map(|c| c.iter().copied()).collect()
    }
}

impl http_body::Body for SeatMapBody {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        let next = self.get_mut().chunks.iter_mut().find_map(Option::take);
        Poll::Ready(next.map(|chunk| Ok(http_body::Frame::data(chunk))))
    }

    fn is_end_stream(&self) -> bool {
        self.chunks.iter().all(Option::is_none)
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.chunks.iter().flatten().map(|c| c.len() as u64).sum())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use booking_core::testkit::T0;
    use booking_core::{BookingEngine, Currency, ManualClock, MemoryStore, PricingPolicy, TicketSigner};

    async fn engine_with_show(layout: &str) -> (BookingEngine, Arc<Show>) {
        let engine = BookingEngine::new(
            Arc::new(MemoryStore::new()),
            Arc::new(ManualClock::new(T0)),
            TicketSigner::new(&[1; 32]).unwrap_or_else(|e| panic!("{e}")),
            booking_core::EngineConfig::default(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let t = booking_core::NewTheatre {
            name: "R".into(),
            city: "L".into(),
            time_zone: "Europe/Lisbon".into(),
        };
        let t = engine.create_theatre(t).await.unwrap_or_else(|e| panic!("{e}"));
        let layout = booking_core::SeatLayout::parse_text(layout).unwrap_or_else(|e| panic!("{e}"));
        let screen = engine.add_screen(t.id, "S \"1\"", layout).await.unwrap_or_else(|e| panic!("{e}"));
        let starts_at = T0.plus_millis(86_400_000);
        let prices = [("standard", 900), ("vip", 1_500), ("odd", 700), ("general", 500)];
        let pricing = PricingPolicy::simple(Currency::EUR, &prices);
        let show = engine
            .schedule_show(booking_core::ScheduleShow {
                screen: screen.id,
                title: "T".into(),
                starts_at,
                ends_at: starts_at.plus_millis(7_200_000),
                sales_open_at: None,
                sales_close_at: None,
                no_orphan: false,
                tickets_per_owner_max: None,
                pricing: pricing.into(),
                accessible_release_before_ms: None,
            })
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        (engine, show)
    }

    #[tokio::test]
    async fn the_render_is_the_json_of_the_view_whatever_the_seats_and_statuses() {
        let layout = "section \"Stalls\" category=standard\nrow A: w1 c2 3-6 _ 7-8@vip\nrow B: x1 (2 3) 4\nsection Box category=odd\nrow \"C\\\"\": 1-2\nzone Standing capacity=3\n";
        let (engine, show) = engine_with_show(layout).await;
        let owner = booking_core::OwnerId::new("ann").unwrap_or_else(|e| panic!("{e}"));
        let seats = vec![
            booking_core::SeatChoice::new("A7"),
            booking_core::SeatChoice::new("B2"),
            booking_core::SeatChoice::new("B3"),
        ];
        let req = booking_core::HoldRequest {
            places: Vec::new(),
            show: show.id,
            owner,
            seats,
            promo_code: None,
            accessible: false,
        };
        engine.hold(req).await.unwrap_or_else(|e| panic!("{e}"));
        let renderer = SeatMapRenderer::default();
        let states = engine.seat_states(&show).await.unwrap_or_else(|e| panic!("{e}"));
        for _ in 0..2 {
            let fast: serde_json::Value =
                serde_json::from_slice(&renderer.render(&show, 7, &states).to_vec())
                    .unwrap_or_else(|e| panic!("{e}"));
            let reference =
                serde_json::to_value(booking_front::SeatMapView::new(&show, &states, 7)).unwrap_or_default();
            assert_eq!(fast, reference);
            let seat = |label: &str| {
                fast["seats"].as_array().and_then(|s| s.iter().find(|s| s["label"] == label)).cloned()
            };
            assert_eq!(seat("A7").map(|s| s["status"].clone()), Some("held".into()));
            assert_eq!(seat("B1").map(|s| s["status"].clone()), Some("blocked".into()));
            assert_eq!(seat("B2").map(|s| s["pair"].clone()), Some(serde_json::json!(["B3"])));
            assert_eq!(fast["categories"][2]["price"], 700);
            assert_eq!(fast["currency"], "EUR");
            assert_eq!(seat("A1").map(|s| s["flags"].clone()), Some(serde_json::json!(["wheelchair"])));
            assert_eq!(seat("A3").map(|s| s.get("pair").is_none()), Some(true), "no pair: no field");
        }
        assert!(renderer.kept_bytes() > 0, "the show's fixed part is kept");
        // The seats change: the kept map is not sent again.
        let owner = booking_core::OwnerId::new("bob").unwrap_or_else(|e| panic!("{e}"));
        let seats = vec![booking_core::SeatChoice::new("A1")];
        engine
            .hold(booking_core::HoldRequest {
                places: Vec::new(),
                show: show.id,
                owner,
                seats,
                promo_code: None,
                accessible: false,
            })
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let states = engine.seat_states(&show).await.unwrap_or_else(|e| panic!("{e}"));
        let fast: serde_json::Value = serde_json::from_slice(&renderer.render(&show, 8, &states).to_vec())
            .unwrap_or_else(|e| panic!("{e}"));
        let reference =
            serde_json::to_value(booking_front::SeatMapView::new(&show, &states, 8)).unwrap_or_default();
        assert_eq!(fast, reference);
        assert_eq!(fast["seats"][0]["status"], "held");
    }

    #[tokio::test]
    async fn what_is_kept_stays_under_its_bound() {
        let (_, show) = engine_with_show("section M category=standard\nrow A: 1-1000\n").await;
        let budget = 1 << 20;
        let renderer = SeatMapRenderer::with_budget(budget);
        let one = ShowEntry { fixed: StaticSeats::encode(&show), last: Mutex::new(None) };
        let size = one.charge();
        let mut copy = (*show).clone();
        for id in 0..(budget / size + 50) as u64 {
            copy.id = ShowId(id);
            renderer.entry(&copy);
        }
        assert!(renderer.kept_bytes() <= budget);
        assert!(renderer.kept_bytes() + size > budget, "the budget is used, not wasted");
    }
}
