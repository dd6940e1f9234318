//! The OpenAPI schemas of every view (feature `openapi`): what the HTTP service publishes, and
//! what the Python binding's view classes are generated from.

use utoipa::openapi::{RefOr, Schema};

/// The views, under their public names, with every schema they refer to.
#[derive(utoipa::OpenApi)]
#[openapi(components(schemas(
    crate::Instant,
    crate::Money,
    crate::QuoteAdjustment,
    crate::QuoteLine,
    crate::TaxMode,
    crate::Quote,
    crate::Hold,
    crate::BookingStatus,
    crate::Booking,
    crate::Ticket,
    crate::Confirmation,
    crate::CheckIn,
    crate::TicketClaims,
    crate::TicketKey,
    crate::TicketKeys,
    crate::SeatStatus,
    crate::SeatMapSeat,
    crate::SeatMapZone,
    crate::Category,
    crate::SeatMap,
    crate::EventKind,
    crate::Event,
    crate::Theatre,
    crate::Screen,
    crate::ShowStatus,
    crate::Show,
    crate::ShowCancellation,
    crate::SweepReport,
    crate::ErrorView,
)))]
struct Views;

/// Every view's schema by name, in a stable order (the order above).
pub fn schemas() -> Vec<(String, RefOr<Schema>)> {
    use utoipa::OpenApi;
    Views::openapi().components.map(|c| c.schemas.into_iter().collect()).unwrap_or_default()
}
