//! Shows: one screening of a title on a screen at a time, with a sales window and a status.

use crate::ids::{ScreenId, ShowId, TheatreId};
use crate::time::Timestamp;
use crate::{PricingPolicy, SeatLayout};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Whether a show can still be sold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShowStatus {
    /// Scheduled; on sale inside its sales window.
    Scheduled,
    /// Cancelled: no new holds; its bookings were cancelled.
    Cancelled,
}

/// A scheduled show with everything needed to sell it.
///
/// Its inventory (one state per seat) is derived from the layout when the show is scheduled.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Show {
    /// Assigned by the store.
    pub id: ShowId,
    /// The screen it plays on.
    pub screen: ScreenId,
    /// The screen's theatre.
    pub theatre: TheatreId,
    /// What plays (a film title, a concert...).
    pub title: String,
    /// When it starts.
    pub starts_at: Timestamp,
    /// When it ends; shows on one screen may not overlap.
    pub ends_at: Timestamp,
    /// Holds are accepted from this instant...
    pub sales_open_at: Timestamp,
    /// ...until this one (exclusive).
    pub sales_close_at: Timestamp,
    /// Scheduled or cancelled.
    pub status: ShowStatus,
    /// Whether the no-orphan selection rule applies.
    pub no_orphan: bool,
    /// Most tickets one owner may have on the show, held, pending and paid together; `None`: no
    /// cap. Stores check it in the same atomic step as each hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tickets_per_owner_max: Option<u32>,
    /// Before this instant the show keeps its wheelchair places and companion seats for buyers
    /// who ask for an accessible place ([`crate::check_accessible`]); from it, unsold ones are on
    /// general sale. `None`: never kept (shows scheduled before the rule).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accessible_until: Option<Timestamp>,
    /// The theatre's IANA time zone, for pricing windows.
    pub time_zone: String,
    /// The layout the inventory was derived from.
    pub layout: Arc<SeatLayout>,
    /// The prices of this show.
    pub pricing: Arc<PricingPolicy>,
}

impl Show {
    /// Whether the show keeps its accessible places for buyers who ask for one at `now`.
    pub fn keeps_accessible(&self, now: Timestamp) -> bool {
        self.accessible_until.is_some_and(|until| now < until)
    }

    /// Whether holds are accepted at `now` (scheduled and inside the sales window).
    pub fn on_sale(&self, now: Timestamp) -> Result<(), String> {
        if self.status == ShowStatus::Cancelled {
            Err(format!("{} is cancelled", self.id))
        } else if now < self.sales_open_at {
            Err(format!("sales open at {}", self.sales_open_at))
        } else if now >= self.sales_close_at {
            Err(format!("sales closed at {}", self.sales_close_at))
        } else {
            Ok(())
        }
    }

    /// Whether `[starts_at, ends_at)` intersects `other`'s.
    pub fn overlaps(&self, starts_at: Timestamp, ends_at: Timestamp) -> bool {
        self.starts_at < ends_at && starts_at < self.ends_at
    }
}

/// What is needed to schedule a show (the engine fills in theatre, layout and time zone).
#[derive(Debug, Clone)]
pub struct NewShow {
    /// The screen.
    pub screen: ScreenId,
    /// The screen's theatre.
    pub theatre: TheatreId,
    /// What plays.
    pub title: String,
    /// Start.
    pub starts_at: Timestamp,
    /// End (after start).
    pub ends_at: Timestamp,
    /// Sales open.
    pub sales_open_at: Timestamp,
    /// Sales close (at or before the end).
    pub sales_close_at: Timestamp,
    /// The no-orphan rule.
    pub no_orphan: bool,
    /// The cap of tickets per owner, if any.
    pub tickets_per_owner_max: Option<u32>,
    /// Until when accessible places are kept for buyers who ask for one.
    pub accessible_until: Option<Timestamp>,
    /// Time zone of the theatre.
    pub time_zone: String,
    /// Layout of the screen.
    pub layout: Arc<SeatLayout>,
    /// Prices.
    pub pricing: Arc<PricingPolicy>,
}

impl NewShow {
    /// The show this request schedules, with the id its store gave it.
    pub fn into_show(self, id: ShowId) -> Show {
        Show {
            id,
            screen: self.screen,
            theatre: self.theatre,
            title: self.title,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            sales_open_at: self.sales_open_at,
            sales_close_at: self.sales_close_at,
            status: ShowStatus::Scheduled,
            no_orphan: self.no_orphan,
            tickets_per_owner_max: self.tickets_per_owner_max,
            accessible_until: self.accessible_until,
            time_zone: self.time_zone,
            layout: self.layout,
            pricing: self.pricing,
        }
    }
}

/// Which shows to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShowFilter {
    /// Only shows of this theatre.
    pub theatre: Option<TheatreId>,
    /// Only shows on this screen.
    pub screen: Option<ScreenId>,
    /// Only shows starting at or after this instant.
    pub starts_from: Option<Timestamp>,
    /// Only shows starting before this instant.
    pub starts_before: Option<Timestamp>,
    /// Include cancelled shows.
    pub include_cancelled: bool,
}

impl ShowFilter {
    /// Whether `show` passes the filter.
    pub fn matches(&self, show: &Show) -> bool {
        self.theatre.is_none_or(|t| t == show.theatre)
            && self.screen.is_none_or(|s| s == show.screen)
            && self.starts_from.is_none_or(|t| show.starts_at >= t)
            && self.starts_before.is_none_or(|t| show.starts_at < t)
            && (self.include_cancelled || show.status == ShowStatus::Scheduled)
    }
}
