//! TEMPORARY STUB.
#![allow(missing_docs)]
use crate::{SeatIdx, SeatLayout};
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SelectionViolationKind { OrphanSeat, PairSplit }
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectionViolation { pub kind: SelectionViolationKind, pub seats: Vec<SeatIdx> }
pub fn check_pairs(_l: &SeatLayout, _s: &[SeatIdx]) -> Result<(), SelectionViolation> { Ok(()) }
pub fn check_orphans(_l: &SeatLayout, _s: &[SeatIdx], _t: impl Fn(SeatIdx) -> bool) -> Result<(), SelectionViolation> { Ok(()) }
