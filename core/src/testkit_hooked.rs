//! A store that runs a hook before every call it passes on (feature `testkit`): how a check puts
//! another caller's steps between two of the engine's, on any store, deterministically.

use crate::*;
use async_trait::async_trait;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// What runs before each call: given the call's name (the trait method's, e.g. `"place_hold"`),
/// a future the call waits for.
pub type StoreHook = Arc<dyn Fn(&'static str) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

/// Passes every call on to `inner` once [`StoreHook`] has run for it.
pub struct HookedStore {
    inner: DynStore,
    hook: StoreHook,
}

impl HookedStore {
    /// `inner` behind `hook`, as a store an engine takes.
    pub fn wrap(inner: DynStore, hook: StoreHook) -> DynStore {
        Arc::new(HookedStore { inner, hook })
    }

    async fn before(&self, call: &'static str) {
        (self.hook)(call).await;
    }
}

/// The impl of a store trait whose every async method runs the hook, then the same call on
/// the inner store (the whole impl, so that `async_trait` sees the methods written out).
macro_rules! pass_on {
    ($store:ident { $($name:ident($($arg:ident: $ty:ty),*) -> $out:ty;)* } $($rest:item)*) => {
        #[async_trait]
        impl $store for HookedStore {
            $(
                async fn $name(&self, $($arg: $ty),*) -> StoreResult<$out> {
                    self.before(stringify!($name)).await;
                    self.inner.$name($($arg),*).await
                }
            )*
            $($rest)*
        }
    };
}

pass_on! {
    CatalogueStore {
        create_theatre(theatre: NewTheatre) -> Theatre;
        theatre(id: TheatreId) -> Theatre;
        theatres() -> Vec<Theatre>;
        add_screen(screen: NewScreen) -> Screen;
        screen(id: ScreenId) -> Screen;
        screens(theatre: TheatreId) -> Vec<Screen>;
        update_theatre(id: TheatreId, theatre: NewTheatre) -> Theatre;
        remove_theatre(id: TheatreId) -> ();
        update_screen(id: ScreenId, name: String, layout: Arc<SeatLayout>) -> Screen;
        remove_screen(id: ScreenId) -> ();
        schedule_show(show: NewShow, now: Timestamp) -> Arc<Show>;
        show(id: ShowId) -> Arc<Show>;
        shows(filter: &ShowFilter) -> Vec<Arc<Show>>;
        cancel_show(id: ShowId, now: Timestamp) -> ShowCancellation;
    }
}

pass_on! {
    InventoryStore {
        place_hold(req: PlaceHold) -> Hold;
        extend_hold(req: ExtendHold) -> Hold;
        release_hold(req: ReleaseHold) -> Hold;
        hold(id: HoldId) -> Hold;
        seat_occupancy(show: ShowId) -> Vec<SeatOccupant>;
        seats_taken(show: ShowId, now: Timestamp) -> u32;
        sweep_expired(now: Timestamp, limit: u32) -> SweepReport;
    }

    fn counts_taken_at_place(&self) -> bool {
        self.inner.counts_taken_at_place()
    }
}

pass_on! {
    BookingStore {
        create_booking(req: CreateBooking) -> Booking;
        confirm_booking(req: ConfirmBooking) -> Booking;
        end_booking(req: EndBooking) -> Booking;
        check_in(booking: BookingId, seat: SeatIdx, now: Timestamp) -> Booking;
        booking(id: BookingId) -> Booking;
        bookings_of(owner: &OwnerId, limit: usize) -> Vec<Booking>;
    }
}

pass_on! {
    EventLog {
        events_since(show: ShowId, after: u64, limit: usize) -> Vec<Event>;
        events_since_each(from: &[(ShowId, u64)], limit: usize) -> Vec<Event>;
        head(show: ShowId) -> u64;
    }
}
