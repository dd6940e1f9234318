//! Theatres, screens and shows live on PostgreSQL; cancelling a show first closes it on Redis.

use crate::HybridStore;
use crate::keys::hold_id;
use crate::outbox::decode_all;
use crate::scripts::scripts;
use async_trait::async_trait;
use booking_core::{
    CatalogueStore, NewScreen, NewShow, NewTheatre, Screen, ScreenId, SeatLayout, Show, ShowCancellation,
    ShowFilter, ShowId, StoreResult, Theatre, TheatreId, Timestamp,
};
use std::sync::Arc;

#[async_trait]
impl CatalogueStore for HybridStore {
    async fn create_theatre(&self, theatre: NewTheatre) -> StoreResult<Theatre> {
        self.pg.create_theatre(theatre).await
    }

    async fn theatre(&self, id: TheatreId) -> StoreResult<Theatre> {
        self.pg.theatre(id).await
    }

    async fn theatres(&self) -> StoreResult<Vec<Theatre>> {
        self.pg.theatres().await
    }

    async fn add_screen(&self, screen: NewScreen) -> StoreResult<Screen> {
        self.pg.add_screen(screen).await
    }

    async fn screen(&self, id: ScreenId) -> StoreResult<Screen> {
        self.pg.screen(id).await
    }

    async fn screens(&self, theatre: TheatreId) -> StoreResult<Vec<Screen>> {
        self.pg.screens(theatre).await
    }

    async fn update_theatre(&self, id: TheatreId, theatre: NewTheatre) -> StoreResult<Theatre> {
        self.pg.update_theatre(id, theatre).await
    }

    async fn remove_theatre(&self, id: TheatreId) -> StoreResult<()> {
        self.pg.remove_theatre(id).await
    }

    async fn update_screen(
        &self,
        id: ScreenId,
        name: String,
        layout: Arc<SeatLayout>,
    ) -> StoreResult<Screen> {
        self.pg.update_screen(id, name, layout).await
    }

    async fn remove_screen(&self, id: ScreenId) -> StoreResult<()> {
        self.pg.remove_screen(id).await
    }

    async fn schedule_show(&self, show: NewShow, now: Timestamp) -> StoreResult<Arc<Show>> {
        self.pg.schedule_show(show, now).await
    }

    async fn show(&self, id: ShowId) -> StoreResult<Arc<Show>> {
        self.pg.show(id).await
    }

    async fn shows(&self, filter: &ShowFilter) -> StoreResult<Vec<Arc<Show>>> {
        self.pg.shows(filter).await
    }

    /// Closes the show on Redis (no hold from then on; every hold released, one event each),
    /// then cancels it on PostgreSQL with those events first. If PostgreSQL fails, the show
    /// stays closed on Redis only until the call is retried or Redis is seeded again.
    async fn cancel_show(&self, id: ShowId, now: Timestamp) -> StoreResult<ShowCancellation> {
        let mut inv = self.call(&scripts().close, id);
        inv.arg(now.millis());
        let reply = self.run(id, now, &inv).await?;
        if !reply.is_ok() {
            return Err(reply.error());
        }
        let released = reply.int(1)?.max(0) as usize;
        let events = decode_all(id, reply.rest(2 + released))?;
        let mut out = self.pg.ledger_cancel_show(id, now, &events).await?;
        if let Some(last) = events.last() {
            self.trim(id, last.tick).await?;
        }
        self.invoke(&self.call(&scripts().cancelled, id)).await?;
        for number in reply.rest(2).iter().take(released) {
            if let Ok(n) = number.parse() {
                out.holds.push(hold_id(id, n));
            }
        }
        out.holds.sort();
        Ok(out)
    }
}
