//! Conversions between the core's types and the exported records, and the time helpers.

use crate::records::*;
use booking_core as bc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A core instant as `SystemTime` (milliseconds since the Unix epoch, either side of it).
pub(crate) fn instant(t: bc::Timestamp) -> SystemTime {
    let ms = t.millis();
    let offset = Duration::from_millis(ms.unsigned_abs());
    let at = if ms >= 0 { UNIX_EPOCH.checked_add(offset) } else { UNIX_EPOCH.checked_sub(offset) };
    at.unwrap_or(UNIX_EPOCH)
}

/// A `SystemTime` as a core instant, to the millisecond (saturating).
pub(crate) fn timestamp(t: SystemTime) -> bc::Timestamp {
    let ms = match t.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_millis()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_millis()).map_or(i64::MIN, |ms| -ms),
    };
    bc::Timestamp::from_millis(ms)
}

/// A `Duration` in milliseconds (saturating).
pub(crate) fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// Milliseconds as a `Duration` (negative as zero).
fn duration(ms: i64) -> Duration {
    Duration::from_millis(u64::try_from(ms).unwrap_or(0))
}

/// Labels of seats of a layout (`#<index>` for one it does not have).
pub(crate) fn labels(layout: &bc::SeatLayout, seats: &[bc::SeatIdx]) -> Vec<String> {
    seats
        .iter()
        .map(|i| layout.seat(*i).map_or_else(|| format!("#{}", i.0), |s| s.label.to_string()))
        .collect()
}

impl From<bc::Money> for Money {
    fn from(m: bc::Money) -> Self {
        Money { minor: m.minor, currency: m.currency.code().to_string() }
    }
}

impl From<bc::SeatFlags> for SeatFlags {
    fn from(f: bc::SeatFlags) -> Self {
        SeatFlags {
            wheelchair: f.is_wheelchair(),
            companion: f.is_companion(),
            blocked: f.is_blocked(),
            general_admission: f.is_general_admission(),
        }
    }
}

impl From<bc::SeatStatus> for SeatStatus {
    fn from(s: bc::SeatStatus) -> Self {
        match s {
            bc::SeatStatus::Available => SeatStatus::Available,
            bc::SeatStatus::Held => SeatStatus::Held,
            bc::SeatStatus::Booked => SeatStatus::Booked,
            bc::SeatStatus::Blocked => SeatStatus::Blocked,
        }
    }
}

impl From<bc::SeatMap> for SeatMap {
    fn from(m: bc::SeatMap) -> Self {
        let seats = m
            .seats
            .into_iter()
            .map(|s| SeatView {
                label: s.label,
                x: s.x,
                y: s.y,
                category: s.category,
                flags: s.flags.into(),
                status: s.status.into(),
                price: s.price.map(Money::from),
            })
            .collect();
        SeatMap { show_id: m.show.0, at: instant(m.at), seats, available: m.available }
    }
}

impl From<&bc::Quote> for Quote {
    fn from(q: &bc::Quote) -> Self {
        let lines = q
            .lines
            .iter()
            .map(|l| QuoteLine {
                seat: l.seat.to_string(),
                ticket_type: l.ticket_type.to_string(),
                base_minor: l.base_minor,
                adjustments: l
                    .adjustments
                    .iter()
                    .map(|a| QuoteAdjustment { rule: a.rule.to_string(), amount_minor: a.amount_minor })
                    .collect(),
                fee_minor: l.fee_minor,
                tax_minor: l.tax_minor,
                total_minor: l.total_minor,
            })
            .collect();
        Quote {
            currency: q.currency.code().to_string(),
            lines,
            subtotal: q.subtotal().into(),
            fees: q.fees().into(),
            tax: q.tax().into(),
            total: q.total().into(),
            tax_rate_bp: q.tax_rate_bp,
            tax_mode: match q.tax_mode {
                bc::TaxMode::Inclusive => TaxMode::Inclusive,
                bc::TaxMode::Exclusive => TaxMode::Exclusive,
            },
            promo_code: q.promo_code.as_deref().map(str::to_string),
        }
    }
}

impl From<SeatChoice> for bc::SeatChoice {
    fn from(c: SeatChoice) -> Self {
        bc::SeatChoice { label: c.label, ticket_type: c.ticket_type }
    }
}

impl Hold {
    pub(crate) fn new(h: &bc::Hold, layout: &bc::SeatLayout) -> Self {
        Hold {
            id: h.id.0,
            show_id: h.show.0,
            owner: h.owner.to_string(),
            seats: labels(layout, &h.seats),
            placed_at: instant(h.placed_at),
            expires_at: instant(h.expires_at),
            max_expires_at: instant(h.max_expires_at),
            fence: h.fence,
            quote: Quote::from(&*h.quote),
        }
    }
}

impl From<bc::BookingStatus> for BookingStatus {
    fn from(s: bc::BookingStatus) -> Self {
        match s {
            bc::BookingStatus::Pending => BookingStatus::Pending,
            bc::BookingStatus::Confirmed => BookingStatus::Confirmed,
            bc::BookingStatus::CheckedIn => BookingStatus::CheckedIn,
            bc::BookingStatus::Expired => BookingStatus::Expired,
            bc::BookingStatus::Cancelled => BookingStatus::Cancelled,
            bc::BookingStatus::Refunded => BookingStatus::Refunded,
        }
    }
}

impl From<bc::BookingAction> for BookingAction {
    fn from(a: bc::BookingAction) -> Self {
        match a {
            bc::BookingAction::Confirm => BookingAction::Confirm,
            bc::BookingAction::CheckIn => BookingAction::CheckIn,
            bc::BookingAction::Expire => BookingAction::Expire,
            bc::BookingAction::Cancel => BookingAction::Cancel,
            bc::BookingAction::Refund => BookingAction::Refund,
        }
    }
}

impl Booking {
    /// The booking as seen at `now` (its status then).
    pub(crate) fn new(b: &bc::Booking, layout: &bc::SeatLayout, now: bc::Timestamp) -> Self {
        Booking {
            id: b.id.0,
            show_id: b.show.0,
            owner: b.owner.to_string(),
            hold_id: b.hold.0,
            seats: labels(layout, &b.seats),
            quote: Quote::from(&*b.quote),
            status: b.status_at(now).into(),
            created_at: instant(b.created_at),
            payment_deadline: instant(b.payment_deadline),
            payment_ref: b.payment_ref.clone(),
            updated_at: instant(b.updated_at),
            checked_in: labels(layout, &b.checked_in),
        }
    }
}

impl From<bc::Ticket> for Ticket {
    fn from(t: bc::Ticket) -> Self {
        Ticket {
            booking_id: t.booking.0,
            show_id: t.show.0,
            seat: t.label,
            code: t.code,
            checked_in: t.checked_in,
        }
    }
}

impl From<bc::TicketClaims> for TicketClaims {
    fn from(c: bc::TicketClaims) -> Self {
        TicketClaims { show_id: c.show.0, booking_id: c.booking.0, seat_index: c.seat.0 }
    }
}

impl From<bc::SweepReport> for SweepReport {
    fn from(r: bc::SweepReport) -> Self {
        SweepReport { holds_expired: r.holds_expired, bookings_expired: r.bookings_expired }
    }
}

impl From<bc::ShowCancellation> for ShowCancellation {
    fn from(c: bc::ShowCancellation) -> Self {
        ShowCancellation {
            hold_ids: c.holds.iter().map(|h| h.0).collect(),
            booking_ids: c.bookings.iter().map(|b| b.0).collect(),
        }
    }
}

impl From<bc::Theatre> for Theatre {
    fn from(t: bc::Theatre) -> Self {
        Theatre { id: t.id.0, name: t.name, city: t.city, time_zone: t.time_zone }
    }
}

impl From<bc::Screen> for Screen {
    fn from(s: bc::Screen) -> Self {
        Screen {
            id: s.id.0,
            theatre_id: s.theatre.0,
            name: s.name,
            seat_count: u32::try_from(s.layout.seat_count()).unwrap_or(u32::MAX),
        }
    }
}

impl From<&bc::Show> for Show {
    fn from(s: &bc::Show) -> Self {
        Show {
            id: s.id.0,
            screen_id: s.screen.0,
            theatre_id: s.theatre.0,
            title: s.title.clone(),
            starts_at: instant(s.starts_at),
            ends_at: instant(s.ends_at),
            sales_open_at: instant(s.sales_open_at),
            sales_close_at: instant(s.sales_close_at),
            status: match s.status {
                bc::ShowStatus::Scheduled => ShowStatus::Scheduled,
                bc::ShowStatus::Cancelled => ShowStatus::Cancelled,
            },
            no_orphan: s.no_orphan,
            time_zone: s.time_zone.clone(),
        }
    }
}

impl From<ShowFilter> for bc::ShowFilter {
    fn from(f: ShowFilter) -> Self {
        bc::ShowFilter {
            theatre: f.theatre_id.map(bc::TheatreId),
            screen: f.screen_id.map(bc::ScreenId),
            starts_from: f.starts_from.map(timestamp),
            starts_before: f.starts_before.map(timestamp),
            include_cancelled: f.include_cancelled,
        }
    }
}

impl From<bc::EngineConfig> for EngineConfig {
    fn from(c: bc::EngineConfig) -> Self {
        EngineConfig {
            hold_ttl: duration(c.hold_ttl_ms),
            hold_lifetime_max: duration(c.hold_lifetime_ms_max),
            payment_window: duration(c.payment_window_ms),
            hold_seats_max: c.hold_seats_max,
            holds_per_owner_max: c.holds_per_owner_max,
            sweep_batch_max: c.sweep_batch_max,
        }
    }
}

impl From<EngineConfig> for bc::EngineConfig {
    fn from(c: EngineConfig) -> Self {
        bc::EngineConfig {
            hold_ttl_ms: millis(c.hold_ttl),
            hold_lifetime_ms_max: millis(c.hold_lifetime_max),
            payment_window_ms: millis(c.payment_window),
            hold_seats_max: c.hold_seats_max,
            holds_per_owner_max: c.holds_per_owner_max,
            sweep_batch_max: c.sweep_batch_max,
        }
    }
}

impl From<bc::LayoutIssue> for LayoutIssue {
    fn from(i: bc::LayoutIssue) -> Self {
        LayoutIssue { line: i.line, column: i.column, path: i.path, message: i.message }
    }
}

impl From<bc::SelectionRuleKind> for SelectionRuleKind {
    fn from(k: bc::SelectionRuleKind) -> Self {
        match k {
            bc::SelectionRuleKind::OrphanSeat => SelectionRuleKind::OrphanSeat,
            bc::SelectionRuleKind::PairSplit => SelectionRuleKind::PairSplit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_round_trip_to_the_millisecond_on_both_sides_of_the_epoch() {
        for ms in [0, 1, 1_700_000_000_123, -86_400_001] {
            let t = bc::Timestamp::from_millis(ms);
            assert_eq!(timestamp(instant(t)), t);
        }
    }

    #[test]
    fn engine_config_round_trips() {
        let c = bc::EngineConfig::default();
        assert_eq!(bc::EngineConfig::from(EngineConfig::from(c.clone())), c);
    }
}
