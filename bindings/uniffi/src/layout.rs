//! Seat layouts on the device: parse one, draw it, and work offline before calling the server:
//! suggest the best seats and check a selection against the pair and no-orphan rules.

use crate::call::{Live, guard};
use crate::error::BookingError;
use crate::records::SeatFlags;
use booking_core as bc;
use std::sync::Arc;

/// One place of a layout, for drawing.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LayoutSeat {
    /// Label, e.g. `F12`.
    pub label: String,
    /// Column; seats of a row whose `x` differs by 1 are side by side.
    pub x: i32,
    /// Row position.
    pub y: i32,
    /// Price category.
    pub category: String,
    /// Flags.
    pub flags: SeatFlags,
    /// Section name (`None` for a general-admission place).
    pub section: Option<String>,
    /// Row name (`None` for a general-admission place).
    pub row: Option<String>,
    /// Loveseat pair group, if any: every seat of a group is sold together or not at all.
    pub pair_group: Option<u32>,
}

/// What best-available should look for.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BestSeatsRequest {
    /// How many seats.
    pub count: u32,
    /// Only seats of this category.
    #[uniffi(default = None)]
    pub category: Option<String>,
    /// Only places of this general-admission zone.
    #[uniffi(default = None)]
    pub zone: Option<String>,
    /// Include wheelchair and companion places.
    #[uniffi(default = false)]
    pub accessible: bool,
}

impl From<BestSeatsRequest> for bc::BestRequest {
    fn from(r: BestSeatsRequest) -> Self {
        bc::BestRequest { count: r.count, category: r.category, zone: r.zone, accessible: r.accessible }
    }
}

/// A validated seat layout: sections of rows of seats, plus general-admission zones. Immutable.
#[derive(Debug, uniffi::Object)]
pub struct SeatLayout {
    pub(crate) inner: Arc<bc::SeatLayout>,
    _live: Live,
}

impl SeatLayout {
    pub(crate) fn wrap(inner: Arc<bc::SeatLayout>) -> Arc<Self> {
        Arc::new(SeatLayout { inner, _live: Live::new() })
    }

    /// Seat indices of labels; `field` names the argument in errors.
    fn resolve(&self, field: &str, labels: &[String]) -> Result<Vec<bc::SeatIdx>, bc::BookingError> {
        let mut out = Vec::with_capacity(labels.len());
        for (n, label) in labels.iter().enumerate() {
            let at = || format!("{field}[{n}]");
            let idx = self.inner.find(label).ok_or_else(|| {
                bc::BookingError::invalid(
                    at(),
                    format!("unknown seat {:?}", label.chars().take(32).collect::<String>()),
                )
            })?;
            if out.contains(&idx) {
                return Err(bc::BookingError::invalid(at(), "seat named twice"));
            }
            out.push(idx);
        }
        Ok(out)
    }

    fn violation(&self, v: bc::SelectionViolation) -> bc::BookingError {
        bc::BookingError::selection(&self.inner, &v)
    }
}

#[uniffi::export]
impl SeatLayout {
    /// Parses the compact text form; every problem is reported with its line and column.
    #[uniffi::constructor]
    pub fn from_text(text: String) -> Result<Arc<Self>, BookingError> {
        guard("SeatLayout.fromText", || Ok(Self::wrap(Arc::new(bc::SeatLayout::parse_text(&text)?))))
    }

    /// Parses the JSON form.
    #[uniffi::constructor]
    pub fn from_json(json: String) -> Result<Arc<Self>, BookingError> {
        guard("SeatLayout.fromJson", || Ok(Self::wrap(Arc::new(bc::SeatLayout::from_json(&json)?))))
    }

    /// The JSON form.
    pub fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The text form, when the layout can be written in it.
    pub fn to_text(&self) -> Option<String> {
        self.inner.to_text()
    }

    /// Display name, if any.
    pub fn name(&self) -> Option<String> {
        self.inner.name().map(str::to_string)
    }

    /// Number of places (seats and general-admission places).
    pub fn seat_count(&self) -> u32 {
        u32::try_from(self.inner.seat_count()).unwrap_or(u32::MAX)
    }

    /// Category names.
    pub fn categories(&self) -> Vec<String> {
        self.inner.categories().to_vec()
    }

    /// Every place, in layout order.
    pub fn seats(&self) -> Vec<LayoutSeat> {
        let layout = &self.inner;
        layout
            .seats()
            .iter()
            .enumerate()
            .map(|(i, seat)| {
                let row = u32::try_from(i).ok().and_then(|i| layout.row_of(bc::SeatIdx(i)));
                LayoutSeat {
                    label: seat.label.to_string(),
                    x: seat.x,
                    y: seat.y,
                    category: layout
                        .categories()
                        .get(usize::from(seat.category))
                        .cloned()
                        .unwrap_or_default(),
                    flags: seat.flags.into(),
                    section: row.and_then(|r| layout.sections().get(r.section as usize)).cloned(),
                    row: row.map(|r| r.name.clone()),
                    pair_group: seat.pair_group,
                }
            })
            .collect()
    }

    /// Checks a selection offline, as a hold would: loveseat pairs all or none, then, when
    /// `no_orphan` (the show's `noOrphan`), no single free seat stranded where a better choice
    /// exists. `taken` lists the seats held or booked now (from the seat map); blocked seats count
    /// as taken. Refuses with `SelectionRule` naming the stranded seats or the missing partners.
    pub fn check_selection(
        &self,
        selected: Vec<String>,
        taken: Vec<String>,
        no_orphan: bool,
    ) -> Result<(), BookingError> {
        guard("SeatLayout.checkSelection", || {
            let selected = self.resolve("selected", &selected)?;
            let taken = self.resolve("taken", &taken)?;
            bc::check_pairs(&self.inner, &selected).map_err(|v| self.violation(v))?;
            if no_orphan {
                bc::check_orphans(&self.inner, &selected, |s| taken.contains(&s))
                    .map_err(|v| self.violation(v))?;
            }
            Ok(())
        })
    }

    /// The best `count` free seats offline (centre-weighted, together where possible), by label;
    /// `SeatUnavailable` with no seats when there are not enough.
    pub fn best_available(
        &self,
        request: BestSeatsRequest,
        taken: Vec<String>,
    ) -> Result<Vec<String>, BookingError> {
        guard("SeatLayout.bestAvailable", || {
            let taken = self.resolve("taken", &taken)?;
            let layout = &self.inner;
            let unknown =
                |field: &str, name: &str| bc::BookingError::invalid(field, format!("unknown {name:?}"));
            let category = match &request.category {
                Some(c) => Some(layout.category_id(c).ok_or_else(|| unknown("category", c))?),
                None => None,
            };
            let zone = match &request.zone {
                Some(z) => Some(layout.zone_id(z).ok_or_else(|| unknown("zone", z))?),
                None => None,
            };
            let filter =
                bc::BestFilter { category, zone, accessible: request.accessible, no_companions: false };
            let picked = bc::best_available(layout, request.count as usize, &filter, |s| !taken.contains(&s))
                .ok_or(bc::BookingError::SeatUnavailable { seats: Vec::new() })?;
            Ok(booking_front::labels(layout, &picked))
        })
    }
}
