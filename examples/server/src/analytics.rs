//! Analytics computed from the event log alone: revenue per day, week or month, occupancy per
//! show, top movies, sales per theatre.

use booking_core::{BookingId, Event, EventKind, Money, Show, Timestamp};
use booking_front::Instant;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use utoipa::ToSchema;

/// How revenue is bucketed (UTC calendar).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// Per day.
    Day,
    /// Per ISO week (from its Monday).
    Week,
    /// Per month.
    Month,
}

/// What one show's log says about its sales.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShowSales {
    /// Seats of confirmed bookings not cancelled or refunded since.
    pub seats_sold: u32,
    /// Money taken minus money given back, in the show's currency.
    pub net_minor: i64,
    /// The show's currency, once anything was sold.
    pub currency: Option<booking_core::Currency>,
    /// Confirmations and refunds as (instant, signed amount).
    pub movements: Vec<(Timestamp, Money)>,
}

/// Reads a show's whole log (in order).
pub fn show_sales(events: &[Event]) -> ShowSales {
    let mut seats: HashMap<BookingId, u32> = HashMap::new();
    let mut sold: HashMap<BookingId, u32> = HashMap::new();
    let mut paid: HashMap<BookingId, Money> = HashMap::new();
    let mut out = ShowSales::default();
    for e in events {
        match &e.kind {
            EventKind::BookingCreated { booking, seats: s, .. } => {
                seats.insert(*booking, u32::try_from(s.len()).unwrap_or(u32::MAX));
            }
            EventKind::BookingConfirmed { booking, total, .. } => {
                sold.insert(*booking, seats.get(booking).copied().unwrap_or(0));
                paid.insert(*booking, *total);
                out.movements.push((e.at, *total));
            }
            EventKind::BookingRefunded { booking, total, .. } => {
                sold.remove(booking);
                paid.remove(booking);
                out.movements.push((e.at, Money::new(-total.minor, total.currency)));
            }
            // Core's refund rule says whether a cancellation gave the money back (a paid
            // booking cancelled with its show, say).
            EventKind::BookingCancelled { booking, from, .. } => {
                sold.remove(booking);
                let total = paid.remove(booking);
                if let (true, Some(total)) = (from.refunds_when_cancelled(), total) {
                    out.movements.push((e.at, Money::new(-total.minor, total.currency)));
                }
            }
            _ => {}
        }
    }
    out.seats_sold = sold.values().sum();
    out.currency = out.movements.first().map(|(_, m)| m.currency);
    out.net_minor = out.movements.iter().map(|(_, m)| m.minor).sum();
    out
}

/// The start of the bucket `t` falls in, as a date `YYYY-MM-DD`.
pub fn bucket(t: Timestamp, period: Period) -> String {
    let Some(date) = t.to_jiff().map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date()) else {
        return String::new();
    };
    let start = match period {
        Period::Day => Some(date),
        Period::Week => {
            date.checked_sub(jiff::Span::new().days(i64::from(date.weekday().to_monday_zero_offset()))).ok()
        }
        Period::Month => date.first_of_month().into(),
    };
    start.map_or_else(String::new, |d| d.to_string())
}

/// Revenue in one bucket and currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = Revenue)]
pub struct RevenueRow {
    /// First day of the bucket.
    pub period_start: String,
    /// Currency.
    pub currency: String,
    /// Its exponent (decimal places of its minor unit).
    pub exponent: u8,
    /// Taken minus refunded, minor units.
    pub net_minor: i64,
    /// Bookings confirmed in it.
    pub confirmations: u32,
    /// Refunds in it.
    pub refunds: u32,
}

/// Revenue per bucket, oldest first.
pub fn revenue<'a>(sales: impl IntoIterator<Item = &'a ShowSales>, period: Period) -> Vec<RevenueRow> {
    let mut rows: BTreeMap<(String, String), RevenueRow> = BTreeMap::new();
    for s in sales {
        for (at, m) in &s.movements {
            let key = (bucket(*at, period), m.currency.code().to_string());
            let row = rows.entry(key.clone()).or_insert_with(|| RevenueRow {
                period_start: key.0,
                currency: key.1,
                exponent: m.currency.exponent(),
                net_minor: 0,
                confirmations: 0,
                refunds: 0,
            });
            row.net_minor += m.minor;
            if m.minor >= 0 {
                row.confirmations += 1;
            } else {
                row.refunds += 1;
            }
        }
    }
    rows.into_values().collect()
}

/// Occupancy of one show.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = Occupancy)]
pub struct OccupancyRow {
    /// Show.
    pub show: u64,
    /// Title.
    pub title: String,
    /// Start.
    pub starts_at: Instant,
    /// Seats sold.
    pub seats_sold: u32,
    /// Seats for sale (not blocked).
    pub seats_sellable: u32,
    /// Sold share in basis points.
    pub occupancy_bp: u32,
}

/// Occupancy of a show from its sales.
pub fn occupancy(show: &Show, sales: &ShowSales) -> OccupancyRow {
    let sellable = show.layout.seats().iter().filter(|s| !s.flags.is_blocked()).count();
    let sellable = u32::try_from(sellable).unwrap_or(u32::MAX);
    let bp = (u64::from(sales.seats_sold) * 10_000).checked_div(u64::from(sellable)).unwrap_or(0);
    OccupancyRow {
        show: show.id.0,
        title: show.title.clone(),
        starts_at: show.starts_at.into(),
        seats_sold: sales.seats_sold,
        seats_sellable: sellable,
        occupancy_bp: u32::try_from(bp).unwrap_or(10_000),
    }
}

/// Tickets and money of a group (a movie, a theatre).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = Sales)]
pub struct SalesRow {
    /// The group's id.
    pub id: u64,
    /// Its name.
    pub name: String,
    /// Tickets sold.
    pub tickets: u32,
    /// Net revenue, minor units.
    pub net_minor: i64,
    /// Its currency (of the first show that sold; a chain sells in one currency in practice).
    pub currency: Option<String>,
    /// The currency's exponent (decimal places of its minor unit).
    pub exponent: Option<u8>,
    /// Shows counted.
    pub shows: u32,
}

/// Sums sales per group, most tickets first.
pub fn by_group<'a>(items: impl IntoIterator<Item = ((u64, String), &'a ShowSales)>) -> Vec<SalesRow> {
    let mut rows: HashMap<u64, SalesRow> = HashMap::new();
    for ((id, name), s) in items {
        let row = rows.entry(id).or_insert_with(|| SalesRow { id, name, ..SalesRow::default() });
        row.tickets += s.seats_sold;
        if row.currency.is_none() {
            row.currency = s.currency.map(|c| c.code().to_string());
            row.exponent = s.currency.map(|c| c.exponent());
        }
        row.net_minor += s.net_minor;
        row.shows += 1;
    }
    let mut out: Vec<SalesRow> = rows.into_values().collect();
    out.sort_by(|a, b| b.tickets.cmp(&a.tickets).then(b.net_minor.cmp(&a.net_minor)).then(a.id.cmp(&b.id)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use booking_core::{BookingStatus, Currency, HoldId, OwnerId, SeatIdx, ShowId};

    fn ev(seq: u64, at: i64, kind: EventKind) -> Event {
        Event { show: ShowId(1), seq, at: Timestamp(at), kind }
    }

    #[test]
    fn sales_follow_the_log() {
        let eur = |m| Money::new(m, Currency::EUR);
        let owner = OwnerId::new("user-1").unwrap_or_else(|_| unreachable!());
        let created = |b, n: u32| EventKind::BookingCreated {
            booking: BookingId(b),
            hold: HoldId(b),
            owner: owner.clone(),
            seats: (0..n).map(SeatIdx).collect::<Vec<_>>().into(),
            payment_deadline: Timestamp(0),
            total: eur(1_000 * i64::from(n)),
        };
        let day = 86_400_000;
        let events = vec![
            ev(1, 0, created(1, 2)),
            ev(
                2,
                10,
                EventKind::BookingConfirmed {
                    booking: BookingId(1),
                    seats: Vec::new().into(),
                    payment_ref: "p".into(),
                    total: eur(2_000),
                },
            ),
            ev(3, 20, created(2, 3)),
            ev(
                4,
                30,
                EventKind::BookingConfirmed {
                    booking: BookingId(2),
                    seats: Vec::new().into(),
                    payment_ref: "q".into(),
                    total: eur(3_000),
                },
            ),
            ev(
                5,
                day + 5,
                EventKind::BookingRefunded { booking: BookingId(2), seats: vec![].into(), total: eur(3_000) },
            ),
            ev(6, day + 6, created(3, 1)),
            ev(
                7,
                day + 7,
                EventKind::BookingCancelled {
                    booking: BookingId(3),
                    seats: vec![].into(),
                    from: BookingStatus::Pending,
                },
            ),
            ev(8, day + 8, created(4, 1)),
            ev(
                9,
                day + 9,
                EventKind::BookingConfirmed {
                    booking: BookingId(4),
                    seats: Vec::new().into(),
                    payment_ref: "r".into(),
                    total: eur(1_000),
                },
            ),
            ev(
                10,
                day + 10,
                EventKind::BookingCancelled {
                    booking: BookingId(4),
                    seats: vec![].into(),
                    from: BookingStatus::Confirmed,
                },
            ),
        ];
        let s = show_sales(&events);
        assert_eq!((s.seats_sold, s.net_minor), (2, 2_000));
        let days = revenue([&s], Period::Day);
        assert_eq!(days.len(), 2);
        assert_eq!(
            (days[0].period_start.as_str(), days[0].net_minor, days[0].confirmations),
            ("1970-01-01", 5_000, 2)
        );
        assert_eq!((days[1].net_minor, days[1].refunds, days[1].confirmations), (-3_000, 2, 1));
        assert_eq!(s.currency, Some(Currency::EUR));
        assert_eq!(revenue([&s], Period::Month)[0].net_minor, 2_000);
        // 1970-01-01 was a Thursday: its week starts on Monday 1969-12-29.
        assert_eq!(bucket(Timestamp(0), Period::Week), "1969-12-29");
        let groups = by_group([((7, "Metropolis".to_string()), &s), ((7, "Metropolis".to_string()), &s)]);
        assert_eq!((groups[0].tickets, groups[0].net_minor, groups[0].shows), (4, 4_000, 2));
    }
}
