//! General admission by quantity: a buyer asks for "2 standing", and the store picks the places.
//!
//! A zone of a layout is compiled into `capacity` places (`Standing-1` …), so a picked place is a
//! seat like any other from then on: its hold, booking, ticket, check-in and events name it. What
//! is new is who picks: the store, inside the hold's atomic step ([`ZonePick`]), from places it
//! knows to be free without reading the zone: the places it has never given out (a cursor), the
//! places given back (a pool the stores fill as claims end) and the places of leases that ended
//! by themselves (their expiry index). A hold costs the same on a 50,000-place field as on a bar's
//! standing room.
//!
//! The quote is made before the places are known: a place's line carries a placeholder label,
//! [`placeholder_label`], which the store turns into the place's label, [`place_label`], as it
//! records the hold. The memory store does it on the quote ([`label_places`]); the stores that keep
//! the quote as JSON replace [`placeholder_json`] with [`place_json`] in its text.

use crate::ids::SeatIdx;
use crate::pricing_quote::Quote;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Most places of one zone a hold may ask for; the hold's total (seats and places) is capped by
/// `hold_seats_max` as well.
pub const PLACES_PER_ZONE_MAX: u32 = 100;

/// The character that marks a placeholder label: the layout refuses control characters in names,
/// so no real label or name carries it.
const MARK: char = '\u{1}';

/// A number of places of a general-admission zone, asked for by the zone's name.
///
/// ```
/// use booking_core::PlaceChoice;
/// let two = PlaceChoice::new("Standing", 2);
/// assert_eq!((two.zone.as_str(), two.quantity), ("Standing", 2));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlaceChoice {
    /// The zone's name, e.g. `Standing`.
    pub zone: String,
    /// How many places (1 to [`PLACES_PER_ZONE_MAX`]).
    pub quantity: u32,
    /// Ticket type of every place, e.g. `child` (the policy's default otherwise).
    #[serde(default)]
    pub ticket_type: Option<String>,
}

impl PlaceChoice {
    /// `quantity` places of `zone` at the default ticket type.
    pub fn new(zone: &str, quantity: u32) -> Self {
        PlaceChoice { zone: zone.to_string(), quantity, ticket_type: None }
    }
}

/// What a store picks for a hold: `quantity` free places among `capacity` places from `first`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZonePick {
    /// The zone's id in the layout (its position among the zones).
    pub zone: u32,
    /// Its first place in the dense seat index.
    pub first: SeatIdx,
    /// Its number of places.
    pub capacity: u32,
    /// How many to pick.
    pub quantity: u32,
}

impl ZonePick {
    /// Whether `seat` is a place of this zone.
    pub fn contains(&self, seat: SeatIdx) -> bool {
        seat.0 >= self.first.0 && seat.0 - self.first.0 < self.capacity
    }

    /// The place number of `seat` in its zone, from 1 (the number its label carries).
    pub fn number(&self, seat: SeatIdx) -> u32 {
        seat.0.saturating_sub(self.first.0) + 1
    }
}

/// The label of place `n` (from 1) of a zone: what the layout calls it.
pub fn place_label(zone: &str, n: u32) -> String {
    format!("{zone}-{n}")
}

/// The label a quote gives the `k`-th place (from 1) a hold asks for, before a store picks it.
pub fn placeholder_label(zone: &str, k: usize) -> String {
    format!("{zone}-{MARK}{k}")
}

/// How the `k`-th placeholder ends in the quote's JSON text (serde_json writes the mark as an
/// escape), closing quote included: unique in the text, since no other string carries the mark.
pub fn placeholder_json(k: usize) -> String {
    format!("-\\u0001{k}\"")
}

/// What [`placeholder_json`] becomes once the place numbered `n` is picked.
pub fn place_json(n: u32) -> String {
    format!("-{n}\"")
}

/// The quote with its `k`-th placeholder (from 1) labelled after `picked[k - 1]`, each a place of
/// one of `picks`.
pub fn label_places(quote: &Quote, picks: &[ZonePick], picked: &[SeatIdx]) -> Quote {
    let mut out = quote.clone();
    let mut lines = out.lines.into_vec();
    for line in &mut lines {
        let Some((zone, k)) = line.seat.split_once(MARK) else { continue };
        let seat = k.parse::<usize>().ok().and_then(|k| picked.get(k.wrapping_sub(1)));
        let number = seat.and_then(|s| picks.iter().find(|p| p.contains(*s)).map(|p| p.number(*s)));
        if let Some(n) = number {
            line.seat = Arc::from(format!("{zone}{n}"));
        }
    }
    out.lines = lines.into_boxed_slice();
    out
}

/// The quote with each placeholder labelled with its zone's name (a quote of places not held).
pub fn zone_labels(quote: &Quote) -> Quote {
    let mut out = quote.clone();
    let mut lines = out.lines.into_vec();
    for line in &mut lines {
        if let Some((zone, _)) = line.seat.split_once(MARK) {
            line.seat = Arc::from(zone.strip_suffix('-').unwrap_or(zone));
        }
    }
    out.lines = lines.into_boxed_slice();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Currency, QuoteLine, TaxMode};

    fn quote(labels: &[String]) -> Quote {
        let line = |s: &String| QuoteLine {
            seat: Arc::from(s.as_str()),
            ticket_type: Arc::from("adult"),
            base_minor: 100,
            adjustments: Box::new([]),
            fee_minor: 0,
            tax_minor: 0,
            total_minor: 100,
        };
        Quote {
            currency: Currency::new("EUR").unwrap_or_else(|e| panic!("{e}")),
            lines: labels.iter().map(line).collect(),
            tax_rate_bp: 0,
            tax_mode: TaxMode::Inclusive,
            promo_code: None,
        }
    }

    #[test]
    fn placeholders_become_the_labels_of_the_places_picked() {
        let floor = ZonePick { zone: 0, first: SeatIdx(10), capacity: 50, quantity: 2 };
        let bar = ZonePick { zone: 1, first: SeatIdx(60), capacity: 5, quantity: 1 };
        let q = quote(&[
            "A1".into(),
            placeholder_label("Floor", 1),
            placeholder_label("Floor", 2),
            placeholder_label("Bar", 3),
        ]);
        let got = label_places(&q, &[floor, bar], &[SeatIdx(17), SeatIdx(10), SeatIdx(64)]);
        let labels: Vec<&str> = got.lines.iter().map(|l| &*l.seat).collect();
        assert_eq!(labels, ["A1", "Floor-8", "Floor-1", "Bar-5"]);
        let quoted: Vec<String> = zone_labels(&q).lines.iter().map(|l| l.seat.to_string()).collect();
        assert_eq!(quoted, ["A1", "Floor", "Floor", "Bar"], "a quote of places not held names their zones");
        assert_eq!(place_label("Floor", 8), "Floor-8");
    }

    #[test]
    fn the_json_placeholder_is_what_serde_writes_and_nothing_else_matches_it() {
        let q = quote(&[placeholder_label("Floor", 1), placeholder_label("Floor", 12)]);
        let text = serde_json::to_string(&q).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(text.matches(&placeholder_json(1)).count(), 1, "{text}");
        let text =
            text.replace(&placeholder_json(1), &place_json(4)).replace(&placeholder_json(12), &place_json(9));
        let back: Quote = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
        let labels: Vec<&str> = back.lines.iter().map(|l| &*l.seat).collect();
        assert_eq!(labels, ["Floor-4", "Floor-9"]);
    }

    #[test]
    fn a_pick_knows_its_places() {
        let p = ZonePick { zone: 0, first: SeatIdx(10), capacity: 3, quantity: 1 };
        assert!(!p.contains(SeatIdx(9)) && p.contains(SeatIdx(10)) && p.contains(SeatIdx(12)));
        assert!(!p.contains(SeatIdx(13)));
        assert_eq!(p.number(SeatIdx(12)), 3);
    }
}
