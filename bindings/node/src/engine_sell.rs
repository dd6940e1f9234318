//! `Engine`, selling: seat maps, quotes, best-available, and the hold lease operations.

use crate::engine::Engine;
use crate::hold::Hold;
use crate::inputs::{
    BestOptions, PlaceChoice, SeatChoice, actor_of, fence_of, id, owner_id, place_choices, seat_choices,
};
use crate::run;
use booking_core::{BestRequest, HoldId, HoldRequest, ShowId};
use booking_front as front;

use napi::bindgen_prelude::PromiseRaw;
use napi::{Either, Env};
use napi_derive::napi;

#[napi]
impl Engine {
    /// Every seat of the show with its status and price now.
    #[napi(catch_unwind, ts_return_type = "Promise<SeatMap>")]
    pub fn seat_map<'env>(
        &self,
        env: &'env Env,
        show: i64,
    ) -> napi::Result<PromiseRaw<'env, front::SeatMap>> {
        let engine = self.engine();
        let call = async move {
            let engine = engine?;
            let show = engine.show(ShowId(id("show", show)?)).await?;
            let states = engine.seat_states(&show).await?;
            Ok(front::SeatMap::new(&show, &states, 0))
        };
        run::promise(env, "seatMap", call, |m| m)
    }

    /// The price of seats and general-admission places now, explained line by line, without
    /// holding them (a place's line names its zone).
    #[napi(catch_unwind, ts_return_type = "Promise<Quote>")]
    pub fn quote<'env>(
        &self,
        env: &'env Env,
        show: i64,
        seats: Vec<Either<String, SeatChoice>>,
        promo_code: Option<String>,
        places: Option<Vec<PlaceChoice>>,
    ) -> napi::Result<PromiseRaw<'env, front::Quote>> {
        let engine = self.engine();
        let call = async move {
            let show = ShowId(id("show", show)?);
            engine?.quote(show, &seat_choices(seats), &place_choices(places), promo_code.as_deref()).await
        };
        run::promise(env, "quote", call, |q| front::Quote::from(&q))
    }

    /// The labels of the best `count` free seats (centre first, together where possible).
    #[napi(catch_unwind, ts_return_type = "Promise<string[]>")]
    pub fn best_available<'env>(
        &self,
        env: &'env Env,
        show: i64,
        count: u32,
        options: Option<BestOptions>,
    ) -> napi::Result<PromiseRaw<'env, Vec<String>>> {
        let engine = self.engine();
        let o = options.unwrap_or_default();
        let call = async move {
            let req = BestRequest {
                count,
                category: o.category,
                zone: o.zone,
                accessible: o.accessible.unwrap_or(false),
            };
            engine?.best_available(ShowId(id("show", show)?), &req).await
        };
        run::promise(env, "bestAvailable", call, |v| v)
    }

    /// Holds every seat or none; `SEAT_UNAVAILABLE` lists in `seats` the ones that were taken.
    /// `places` asks for places of general-admission zones by quantity (`[{ zone: 'Standing',
    /// quantity: 2 }]`), which the store picks; a zone with too few is named in `seats`.
    #[napi(catch_unwind, ts_return_type = "Promise<Hold>")]
    #[allow(clippy::too_many_arguments)]
    pub fn hold<'env>(
        &self,
        env: &'env Env,
        show: i64,
        owner: String,
        seats: Vec<Either<String, SeatChoice>>,
        promo_code: Option<String>,
        accessible: Option<bool>,
        places: Option<Vec<PlaceChoice>>,
    ) -> napi::Result<PromiseRaw<'env, Hold>> {
        let engine = self.engine();
        let call = async move {
            let req = HoldRequest {
                places: place_choices(places),
                show: ShowId(id("show", show)?),
                owner: owner_id(&owner)?,
                seats: seat_choices(seats),
                promo_code,
                accessible: accessible.unwrap_or(false),
            };
            engine?.hold(req).await
        };
        run::promise(env, "hold", call, |h| {
            let now = h.placed_at;
            Hold::new(h, now)
        })
    }

    /// Extends a live hold by the hold time, never past its maximum lifetime. Without `owner`,
    /// acts as staff; with `fence`, refused with `STALE_FENCE` unless it is the current one.
    #[napi(catch_unwind, ts_return_type = "Promise<Hold>")]
    pub fn extend_hold<'env>(
        &self,
        env: &'env Env,
        hold: i64,
        owner: Option<String>,
        fence: Option<i64>,
    ) -> napi::Result<PromiseRaw<'env, Hold>> {
        self.lease(env, Lease::Extend, hold, owner, fence)
    }

    /// Releases a live hold; its seats are free at once.
    #[napi(catch_unwind, ts_return_type = "Promise<Hold>")]
    pub fn release_hold<'env>(
        &self,
        env: &'env Env,
        hold: i64,
        owner: Option<String>,
        fence: Option<i64>,
    ) -> napi::Result<PromiseRaw<'env, Hold>> {
        self.lease(env, Lease::Release, hold, owner, fence)
    }

    /// A hold that is live, or expired and not yet swept.
    #[napi(catch_unwind, ts_return_type = "Promise<Hold>")]
    pub fn hold_info<'env>(&self, env: &'env Env, hold: i64) -> napi::Result<PromiseRaw<'env, Hold>> {
        let engine = self.engine();
        let call = async move {
            let engine = engine?;
            let h = engine.hold_info(HoldId(id("hold", hold)?)).await?;
            Ok(Hold::new(h, engine.now()))
        };
        run::promise(env, "holdInfo", call, |h| h)
    }
}

/// What is done to a live hold.
#[derive(Clone, Copy)]
enum Lease {
    Extend,
    Release,
}

impl Engine {
    /// Extends or releases a hold, as `owner` (staff when absent), checking `fence` when given.
    fn lease<'env>(
        &self,
        env: &'env Env,
        lease: Lease,
        hold: i64,
        owner: Option<String>,
        fence: Option<i64>,
    ) -> napi::Result<PromiseRaw<'env, Hold>> {
        let engine = self.engine();
        let call = async move {
            let (engine, hold) = (engine?, HoldId(id("hold", hold)?));
            let (actor, fence) = (actor_of(owner)?, fence_of(fence)?);
            let h = match lease {
                Lease::Extend => engine.extend_hold(hold, actor, fence).await?,
                Lease::Release => engine.release_hold(hold, actor, fence).await?,
            };
            Ok(Hold::new(h, engine.now()))
        };
        let op = match lease {
            Lease::Extend => "extendHold",
            Lease::Release => "releaseHold",
        };
        run::promise(env, op, call, |h| h)
    }
}
