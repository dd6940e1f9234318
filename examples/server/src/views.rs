//! What HTTP answers beyond booking-front's views: each of these wraps a front view (flattened,
//! so its fields stay the view's own) and adds only what a web client needs besides (a
//! listing's names, a ticket's QR code URLs), or gathers views into one answer.

use crate::public_ids::PublicIds;
use booking_core::{LayoutSpec, Screen, Show, Theatre, Ticket};
use booking_front::{BookingView, ScreenView, ShowView, TicketView};
use serde::Serialize;
use utoipa::ToSchema;

/// A show as listings show it: the show with its theatre's name and city, its screen's name and
/// the catalogue's movie.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ShowListing)]
pub struct ListedShow {
    /// The show.
    #[serde(flatten)]
    pub show: ShowView,
    /// The catalogue's movie it was scheduled from, if any.
    pub movie: Option<i64>,
    /// Its theatre's name.
    pub theatre_name: String,
    /// Its theatre's city.
    pub city: String,
    /// Its screen's name.
    pub screen_name: String,
}

impl ListedShow {
    /// `show` with its theatre, its screen's name and its movie (names left empty when unknown).
    pub fn new(
        show: &Show,
        theatre: Option<&Theatre>,
        screen_name: Option<&str>,
        movie: Option<u64>,
    ) -> Self {
        ListedShow {
            show: show.into(),
            movie: movie.and_then(|m| i64::try_from(m).ok()),
            theatre_name: theatre.map(|t| t.name.clone()).unwrap_or_default(),
            city: theatre.map(|t| t.city.clone()).unwrap_or_default(),
            screen_name: screen_name.unwrap_or_default().to_string(),
        }
    }
}

/// A ticket with where to fetch its QR code.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = TicketWithQr)]
pub struct TicketLinks {
    /// The ticket.
    #[serde(flatten)]
    pub ticket: TicketView,
    /// Its QR code as SVG (behind the same token).
    pub qr_svg: String,
    /// Its QR code as PNG (behind the same token).
    pub qr_png: String,
}

impl TicketLinks {
    /// The ticket `t`, its booking named by its public id.
    pub fn new(t: &Ticket, ids: &PublicIds) -> Self {
        let ticket = ids.ticket(t.into());
        let base = format!("/v1/bookings/{}/tickets/{}", ticket.booking, t.label);
        TicketLinks { ticket, qr_svg: format!("{base}/qr.svg"), qr_png: format!("{base}/qr.png") }
    }
}

/// A booking just paid, with its tickets.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Confirmation)]
pub struct Paid {
    /// The booking, now confirmed.
    pub booking: BookingView,
    /// One ticket per seat.
    pub tickets: Vec<TicketLinks>,
}

/// A ticket just checked in at the door, with its booking.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = CheckIn)]
pub struct CheckedIn {
    /// The ticket.
    pub ticket: TicketLinks,
    /// Its booking after the check-in.
    pub booking: BookingView,
}

/// A screen with its layout in the JSON form too (the text form is in the view when the layout
/// has one).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ScreenWithLayout)]
pub struct ScreenDetail {
    /// The screen.
    #[serde(flatten)]
    pub screen: ScreenView,
    /// Its layout as JSON: what shows scheduled on it from now on get.
    pub layout: LayoutSpec,
}

impl From<&Screen> for ScreenDetail {
    fn from(s: &Screen) -> Self {
        ScreenDetail { screen: s.into(), layout: s.layout.to_spec() }
    }
}

/// The layout a show was scheduled with, in the forms every binding's layout type parses: an
/// app checks selections offline against the very seats the show sells.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ShowLayout {
    /// The show.
    pub show: i64,
    /// The text form, when the layout can be written as text.
    pub layout_text: Option<String>,
    /// The JSON form.
    pub layout: LayoutSpec,
}

impl ShowLayout {
    /// The layout of `show`.
    pub fn new(show: &Show) -> ShowLayout {
        ShowLayout {
            show: i64::try_from(show.id.0).unwrap_or(i64::MAX),
            layout_text: show.layout.to_text(),
            layout: show.layout.to_spec(),
        }
    }
}
