//! Booking transitions as the SQL functions take them. The state machine is core's alone
//! ([`booking_core::BookingStatus::apply`]): each call that changes a booking's status passes the
//! edges of its action, the states [`BookingAction::allowed_from`] gives and where `apply` takes
//! each, and the SQL (`bc_transition`) only looks the stored status up among them.

use booking_core::BookingAction;
use std::sync::LazyLock;

/// The edges of one action: `from[i]` goes to `to[i]`, by their snake-case names.
#[derive(Debug)]
pub(crate) struct Edges {
    /// The action's name, for the refusal.
    pub(crate) action: &'static str,
    /// The states the action may leave.
    pub(crate) from: Vec<&'static str>,
    /// Where it takes each of them.
    pub(crate) to: Vec<&'static str>,
}

impl Edges {
    fn of(action: BookingAction) -> Edges {
        let (from, to) = action
            .allowed_from()
            .filter_map(|s| s.apply(action).ok().map(|next| (s.as_str(), next.as_str())))
            .unzip();
        Edges { action: action.as_str(), from, to }
    }
}

static CONFIRM: LazyLock<Edges> = LazyLock::new(|| Edges::of(BookingAction::Confirm));
static CHECK_IN: LazyLock<Edges> = LazyLock::new(|| Edges::of(BookingAction::CheckIn));
static EXPIRE: LazyLock<Edges> = LazyLock::new(|| Edges::of(BookingAction::Expire));
static CANCEL: LazyLock<Edges> = LazyLock::new(|| Edges::of(BookingAction::Cancel));
static REFUND: LazyLock<Edges> = LazyLock::new(|| Edges::of(BookingAction::Refund));

/// The edges of `action`, computed once.
pub(crate) fn edges(action: BookingAction) -> &'static Edges {
    match action {
        BookingAction::Confirm => &CONFIRM,
        BookingAction::CheckIn => &CHECK_IN,
        BookingAction::Expire => &EXPIRE,
        BookingAction::Cancel => &CANCEL,
        BookingAction::Refund => &REFUND,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use booking_core::BookingStatus;

    #[test]
    fn the_edges_are_the_state_machine() {
        for action in BookingAction::ALL {
            let e = edges(action);
            for from in BookingStatus::ALL {
                let edge = e.from.iter().position(|f| *f == from.as_str()).map(|i| e.to[i]);
                assert_eq!(edge, from.apply(action).ok().map(BookingStatus::as_str), "{from:?} {action:?}");
            }
        }
    }
}
