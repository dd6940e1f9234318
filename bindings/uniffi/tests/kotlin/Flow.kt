// The booking flow through the binding, and the offline layout helpers.
package org.bookingcore.test

import org.bookingcore.*
import org.bookingcore.model.*
import org.bookingcore.test.Checks.check
import org.bookingcore.test.Checks.equal
import org.bookingcore.test.Checks.throws
import java.time.Duration

fun bookingFlow() = Fixture().use { f ->
    val e = f.engine
    val ann = Actor.Owner("ann")
    equal(e.now(), START, "manual clock start")
    equal(e.config().holdSeatsMax, 10u, "config")
    equal(defaultEngineConfig().holdTtl, Duration.ofMinutes(10), "default hold ttl as java.time.Duration")
    equal(e.theatres().map { it.name }, listOf("Odeon"), "theatres")
    equal(e.screens(f.theatre.id).single().seatCount, 30u, "screen seat count")
    equal(e.shows(ShowFilter()).map { it.id }, listOf(f.show.id), "shows")
    equal(e.show(f.show.id).status, ShowStatus.SCHEDULED, "show status")

    val map = e.seatMap(f.show.id)
    equal(map.available, 30u, "seat map available")
    val b1 = map.seats.first { it.label == "B1" }
    check("wheelchair" in b1.flags && b1.status == SeatStatus.AVAILABLE, "B1 is an available wheelchair place")
    equal(b1.price, 1200L, "seat price in minor units")
    equal(map.currency to map.exponent, "EUR" to 2.toUByte(), "map currency and its exponent")
    val quoted = e.quote(f.show.id, listOf(SeatChoice("A4"), SeatChoice("A5"))).total
    equal(quoted.minor to quoted.amount, 2400L to "24.00", "quote total")
    equal(e.bestAvailable(f.show.id, BestSeatsRequest(2u)).size, 2, "best available")

    val hold = f.hold("ann", "A4", "A5")
    equal(hold.seats, listOf("A4", "A5"), "hold seats by label")
    equal(hold.quote.lines.map { it.seat }, listOf("A4", "A5"), "quote lines")
    equal(hold.expiresAt, START.plus(Duration.ofMinutes(10)), "hold expiry as Instant")
    equal(e.holdInfo(hold.id).fence, hold.fence, "hold info")
    equal(e.seatMap(f.show.id).seats.first { it.label == "A4" }.status, SeatStatus.HELD, "held seat")

    e.advanceClock(Duration.ofMinutes(1))
    val extended = e.extendHold(hold.id, ann)
    equal(extended.expiresAt, START.plus(Duration.ofMinutes(11)), "extended expiry")
    check(extended.fence > hold.fence, "fence grows")

    val booking = e.createBooking(hold.id, ann, "create-1", expectedFence = extended.fence)
    equal(booking.status, BookingStatus.PENDING, "pending booking")
    equal(booking.title to booking.timeZone, "Metropolis" to "Europe/Paris", "booking's show")
    equal(e.createBooking(hold.id, ann, "create-1").id, booking.id, "idempotent create")
    val confirmation = e.confirmBooking(booking.id, ann, "pay-1", "confirm-1")
    equal(confirmation.booking.status, BookingStatus.CONFIRMED, "confirmed")
    equal(confirmation.tickets.map { it.seat }, listOf("A4", "A5"), "tickets")
    equal(e.tickets(booking.id, Actor.Staff).size, 2, "tickets for staff")
    val code = confirmation.tickets.first().code
    equal(e.verifyTicket(code), TicketClaims(f.show.id, booking.id, 3L), "offline verification (A4 is seat index 3)")
    // A door scanner holds the public keys only.
    val keys = e.ticketKeys().keys
    equal(keys.map { Triple(it.kty, it.crv, it.signing) }, listOf(Triple("OKP", "Ed25519", true)), "one signing key")
    equal(verifyTicket(code, keys.map { it.x }), TicketClaims(f.show.id, booking.id, 3L), "verified with the public key alone")
    val forged = code.replaceFirst(".${booking.id}.", ".${booking.id + 1}.")
    throws<BookingException.InvalidTicket>("forged code, public key") { verifyTicket(forged, keys.map { it.x }) }
    throws<BookingException.InvalidInput>("unreadable key") { verifyTicket(code, listOf("not a key")) }
    val checkIn = e.checkIn(code)
    check(checkIn.ticket.checkedIn, "ticket checked in")
    equal(checkIn.booking.status, BookingStatus.CHECKED_IN, "booking checked in")
    equal(checkIn.booking.checkedIn, listOf("A4"), "checked-in seats")
    equal(e.bookingsOf("ann").map { it.id }, listOf(booking.id), "bookings of ann")
    equal(e.booking(booking.id, ann).paymentRef, "pay-1", "payment ref")

    // Expiry: the seats are free the instant the hold expires; the sweep tidies and tells.
    f.hold("bob", "C1", "C2")
    e.advanceClock(Duration.ofMinutes(11))
    equal(e.seatMap(f.show.id).seats.first { it.label == "C1" }.status, SeatStatus.AVAILABLE, "expired hold frees")
    equal(e.sweepExpired(), SweepReport(1u, 0u), "sweep")

    // Refund frees the seats.
    val h3 = f.hold("cat", "A9", "A10")
    val cat = Actor.Owner("cat")
    val b3 = e.createBooking(h3.id, cat, "create-3")
    e.confirmBooking(b3.id, cat, "pay-3", "confirm-3")
    equal(e.refundBooking(b3.id, cat).status, BookingStatus.REFUNDED, "refunded")
    equal(e.seatMap(f.show.id).seats.first { it.label == "A9" }.status, SeatStatus.AVAILABLE, "refund frees")

    val events = e.eventsSince(f.show.id, 0L, 100u)
    equal(events.map { it.seq }, (1L..events.size.toLong()).toList(), "events in order without gaps")
    val placed = events.first { it.kind == EventKind.HOLD_PLACED }
    equal(placed.seats, listOf("A4", "A5"), "event seats by label")
    equal(placed.seatStatus, SeatStatus.HELD, "the seats' status after it")
    check(events.first().kind == EventKind.SHOW_SCHEDULED, "first event")
    check(events.any { it.kind == EventKind.TICKET_CHECKED_IN && it.seats == listOf("A4") }, "check-in event")
    check(events.any { it.kind == EventKind.HOLD_EXPIRED }, "expiry event")
    check(events.last().kind == EventKind.BOOKING_REFUNDED, "last event")
    equal(e.eventsSince(f.show.id, events.last().seq, 10u), emptyList<Event>(), "no event after the last")
    equal(e.logHead(f.show.id), events.last().seq, "log head")
    val each = e.eventsSinceEach(listOf(EventCursor(f.show.id, events.last().seq - 1)), 10u)
    equal(each.map { it.seq }, listOf(events.last().seq), "many logs in one read")
}

fun offlineLayout() {
    SeatLayout.fromText(LAYOUT).use { layout ->
        equal(layout.name(), "Screen 1", "layout name")
        equal(layout.seatCount(), 30u, "seat count")
        val c5 = layout.seats().first { it.label == "C5" }
        check(c5.pairGroup != null && c5.row == "C" && c5.section == "Stalls", "seat details")
        SeatLayout.fromJson(layout.toJson()).use { equal(it.seats(), layout.seats(), "JSON round trip") }
        check(layout.toText() != null, "text form")
        layout.checkSelection(listOf("A1", "A2"), emptyList(), true)
        Checks.passed++
        val best = layout.bestAvailable(BestSeatsRequest(3u), listOf("A5"))
        equal(best.size, 3, "offline best available")
        check("A5" !in best, "best available skips taken seats")
    }
}

/** Places of a standing zone held by quantity: the store picks them, the hold names them. */
fun placesByQuantity() = Fixture(noOrphan = false, layoutText = LAYOUT + "zone Standing capacity=3 category=standard\n").use { f ->
    val e = f.engine
    val quote = e.quote(f.show.id, listOf(SeatChoice("A1")), places = listOf(PlaceChoice("Standing", 2u)))
    equal(quote.lines.map { it.seat }, listOf("A1", "Standing", "Standing"), "a quote of places names their zone")
    val hold = e.hold(HoldRequest(f.show.id, "ann", listOf(SeatChoice("A1")), places = listOf(PlaceChoice("Standing", 2u))))
    equal(hold.quote.total, quote.total, "the hold's price is the quote's")
    equal(hold.seats.size, 3, "a seat and two places")
    check(hold.seats.drop(1).all { it.startsWith("Standing-") }, "the places are named: ${hold.seats}")
    equal(hold.quote.lines.map { it.seat }, hold.seats, "the quote names the places")
    val short = throws<BookingException.SeatUnavailable>("two places where one is left") {
        e.hold(HoldRequest(f.show.id, "bob", emptyList(), places = listOf(PlaceChoice("Standing", 2u))))
    }
    equal(short?.seats, listOf("Standing"), "the refusal names the zone")
    throws<BookingException.InvalidInput>("an unknown zone") {
        e.hold(HoldRequest(f.show.id, "bob", emptyList(), places = listOf(PlaceChoice("Balcony", 1u))))
    }
}
