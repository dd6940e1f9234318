//! TEMPORARY STUB.
#![allow(missing_docs)]
use crate::{SeatIdx, SeatLayout};
#[derive(Debug, Clone, Default)]
pub struct BestFilter { pub category: Option<u16>, pub zone: Option<u32>, pub accessible: bool }
pub fn best_available(l: &SeatLayout, n: usize, _f: &BestFilter, free: impl Fn(SeatIdx) -> bool) -> Option<Vec<SeatIdx>> {
    let v: Vec<SeatIdx> = (0..l.seat_count() as u32).map(SeatIdx).filter(|s| free(*s)).take(n).collect();
    (v.len() == n && n > 0).then_some(v)
}
