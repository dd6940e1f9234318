// Catalogue changes through the binding: records back, Unit for a removal, and each refusal as its
// own Kotlin type with its details. The rules themselves are the core's to test.
package org.bookingcore.test

import org.bookingcore.*
import org.bookingcore.model.*
import org.bookingcore.test.Checks.check
import org.bookingcore.test.Checks.equal
import org.bookingcore.test.Checks.throws

const val SMALL_LAYOUT = "section Main category=standard\nrow A: 1-4"

fun catalogue() = Fixture().use { f ->
    val e = f.engine
    val theatre = e.createTheatre("Rex", "Lyon", "Europe/Paris")
    val renamed: Theatre = e.updateTheatre(theatre.id, "Le Rex", "Lyon", "Europe/London")
    equal(renamed, Theatre(theatre.id, "Le Rex", "Lyon", "Europe/London"), "updated theatre record")
    equal(e.theatres().first { it.id == theatre.id }, renamed, "theatres list the update")
    equal(e.theatre(theatre.id), renamed, "one theatre")

    val screen = SeatLayout.fromText(SMALL_LAYOUT).use { e.addScreen(theatre.id, "One", it) }
    val bigger: Screen = SeatLayout.fromText(LAYOUT).use { e.updateScreen(screen.id, "Big", it) }
    equal(Triple(bigger.id, bigger.name, bigger.seatCount), Triple(screen.id, "Big", 30u), "updated screen record (from text)")
    equal(bigger.theatre, theatre.id, "screen's theatre")
    check(bigger.layoutJson.startsWith("{"), "screen layout JSON")
    val back = SeatLayout.fromText(SMALL_LAYOUT).use { small ->
        SeatLayout.fromJson(small.toJson()).use { e.updateScreen(screen.id, "Small", it) }
    }
    equal(back.seatCount, 4u, "updated screen record (from JSON)")
    equal(e.screens(theatre.id), listOf(back), "screens list the update")
    equal(e.screen(screen.id), back, "one screen")
    equal(e.removeScreen(screen.id), Unit, "removeScreen returns Unit")
    equal(e.screens(theatre.id), emptyList<Screen>(), "screen removed")
    equal(e.removeTheatre(theatre.id), Unit, "removeTheatre returns Unit")
    equal(e.theatres().map { it.id }, listOf(f.theatre.id), "theatre removed")

    val hasScreens = throws<BookingException.InvalidInput>("remove a theatre with screens") {
        e.removeTheatre(f.theatre.id)
    }
    equal(hasScreens?.field, "theatre", "field of a theatre in use")
    val scheduled = throws<BookingException.InvalidInput>("remove a screen with a show") {
        e.removeScreen(f.screen.id)
    }
    equal(scheduled?.field, "screen", "field of a screen in use")
    equal(scheduled?.errorCode(), "INVALID_INPUT", "code")

    val missing = listOf(
        "theatre" to { e.updateTheatre(999L, "X", "Y", "Europe/Paris"); Unit },
        "theatre" to { e.removeTheatre(999L) },
        "screen" to { SeatLayout.fromText(SMALL_LAYOUT).use { e.updateScreen(999L, "X", it) }; Unit },
        "screen" to { e.removeScreen(999L) },
    )
    for ((entity, call) in missing) {
        val notFound = throws<BookingException.NotFound>("no such $entity") { call() }
        equal(notFound?.entity, entity, "not found entity")
        equal(notFound?.errorCode(), "NOT_FOUND", "code")
    }
    val zone = throws<BookingException.InvalidInput>("unknown time zone") {
        e.updateTheatre(f.theatre.id, "Odeon", "Paris", "Mars/Olympus")
    }
    equal(zone?.field, "time_zone", "field of a bad time zone")
    val name = throws<BookingException.InvalidInput>("empty screen name") {
        SeatLayout.fromText(SMALL_LAYOUT).use { e.updateScreen(f.screen.id, "", it) }
    }
    equal(name?.field, "name", "field of an empty name")
}
