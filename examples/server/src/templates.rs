//! The words of each notification, one template per kind.

/// What a template may mention.
#[derive(Debug, Clone, Default)]
pub struct NoteContext {
    /// The recipient's name.
    pub name: String,
    /// What plays.
    pub title: String,
    /// When, in the theatre's local time.
    pub starts_at: String,
    /// The theatre.
    pub theatre: String,
    /// Seat labels.
    pub seats: Vec<String>,
    /// The booking.
    pub booking: u64,
    /// The amount paid or refunded.
    pub amount: String,
}

/// Subject and text of a notification of `kind`, or `None` for a kind nobody is told about.
pub fn render(kind: &str, c: &NoteContext) -> Option<(String, String)> {
    let seats = c.seats.join(", ");
    let (subject, body) = match kind {
        "booking_confirmed" => (
            format!("Your tickets for {}", c.title),
            format!(
                "Hello {},\n\nbooking {} is confirmed: {} at {}, {}, seats {}. Paid {}.\nYour tickets are in your account.",
                c.name, c.booking, c.title, c.theatre, c.starts_at, seats, c.amount
            ),
        ),
        "booking_cancelled" => (
            format!("Booking {} cancelled", c.booking),
            format!(
                "Hello {},\n\nbooking {} for {} at {}, {} (seats {}) is cancelled.",
                c.name, c.booking, c.title, c.theatre, c.starts_at, seats
            ),
        ),
        "booking_refunded" => (
            format!("Booking {} refunded", c.booking),
            format!(
                "Hello {},\n\nbooking {} for {} ({}) is refunded: {} is on its way back.",
                c.name, c.booking, c.title, c.starts_at, c.amount
            ),
        ),
        "show_reminder" => (
            format!("{} starts soon", c.title),
            format!(
                "Hello {},\n\n{} starts at {}, {}. Your seats: {}. Show the ticket QR codes at the door.",
                c.name, c.title, c.starts_at, c.theatre, seats
            ),
        ),
        _ => return None,
    };
    Some((subject, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_names_the_show_and_seats() {
        let c = NoteContext {
            name: "Ann".into(),
            title: "Metropolis".into(),
            starts_at: "Fri 27 Nov 21:00".into(),
            theatre: "Cinema Sol".into(),
            seats: vec!["F7".into(), "F8".into()],
            booking: 9,
            amount: "24.00 EUR".into(),
        };
        for kind in ["booking_confirmed", "booking_cancelled", "show_reminder"] {
            let (subject, body) = render(kind, &c).unwrap_or_default();
            assert!(subject.contains("Metropolis") || subject.contains('9'), "{kind}: {subject}");
            assert!(body.contains("F7, F8") && body.contains("Ann"), "{kind}: {body}");
        }
        assert!(render("booking_refunded", &c).is_some_and(|(_, b)| b.contains("24.00 EUR")));
        assert!(render("hold_placed", &c).is_none());
    }
}
