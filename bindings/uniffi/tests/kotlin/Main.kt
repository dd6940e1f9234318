// The JVM tests of the Kotlin binding: they check the mapping (types, errors, threads, freeing),
// not the business rules again (the core's own tests do). Exits non-zero on any failure.
package org.bookingcore.test

import org.bookingcore.*
import org.bookingcore.model.*
import java.time.Duration
import java.time.Instant
import kotlin.system.exitProcess

/** Counts checks; a failed check is reported and the run goes on. */
object Checks {
    var passed = 0
    var failed = 0

    fun check(condition: Boolean, what: String) {
        if (condition) passed++ else { failed++; System.err.println("FAILED: $what") }
    }

    fun <T> equal(actual: T, expected: T, what: String) =
        check(actual == expected, "$what: expected <$expected>, got <$actual>")

    /** Runs `block`, expecting it to throw exactly `E`; returns the exception for its details. */
    inline fun <reified E : BookingException> throws(what: String, block: () -> Unit): E? {
        try {
            block()
        } catch (e: BookingException) {
            if (e is E) { passed++; return e }
            failed++
            System.err.println("FAILED: $what: expected ${E::class.simpleName}, got ${e::class.simpleName} ($e)")
            return null
        }
        failed++
        System.err.println("FAILED: $what: expected ${E::class.simpleName}, nothing was thrown")
        return null
    }
}

val KEY = ByteArray(32) { 7 }
val START: Instant = Instant.parse("2030-03-01T10:00:00Z")
const val LAYOUT = """
layout "Screen 1"
section Stalls category=standard
row A: 1-10
row B: w1 c2 3-10
row C: 1-4 (5 6) 7-10
"""

/** An engine on a manual clock with one theatre, one screen and one show two days ahead. */
class Fixture(noOrphan: Boolean = true, layoutText: String = LAYOUT) : AutoCloseable {
    val engine = BookingEngine.withManualClock(KEY, START)
    val theatre = engine.createTheatre("Odeon", "Paris", "Europe/Paris")
    val screen = SeatLayout.fromText(layoutText).use { engine.addScreen(theatre.id, "Screen 1", it) }
    val show: Show = PricingPolicy.simple("EUR", mapOf("standard" to 1200L)).use { pricing ->
        val starts = START.plus(Duration.ofDays(2))
        engine.scheduleShow(
            ScheduleShow(screen.id, "Metropolis", starts, starts.plus(Duration.ofHours(2)), noOrphan = noOrphan),
            pricing,
        )
    }

    fun hold(owner: String, vararg seats: String): Hold =
        engine.hold(HoldRequest(show.id, owner, seats.map { SeatChoice(it) }))

    override fun close() = engine.close()
}

fun main(args: Array<String>) {
    val started = System.nanoTime()
    val suites = listOf(
        "native library" to ::nativeLibrary,
        "booking flow" to ::bookingFlow,
        "places by quantity" to ::placesByQuantity,
        "offline layout" to ::offlineLayout,
        "errors" to ::errors,
        "catalogue" to ::catalogue,
        "race" to ::race,
        "freeing" to ::freeing,
        // Made by scripts/test-uniffi from the Kotlin example of bindings/uniffi/README.md.
        "readme" to { readmeExample(); Checks.check(true, "the README example ran") },
    )
    // Arguments, if any, pick the suites whose names contain one of them (and where the library
    // came from, always: it loads first).
    val picked = suites.filter { (name, _) -> args.isEmpty() || name == "native library" || args.any { it in name } }
    for ((name, suite) in picked) {
        val before = Checks.passed + Checks.failed
        try {
            suite()
        } catch (e: Throwable) {
            Checks.failed++
            System.err.println("FAILED: $name threw ${e::class.qualifiedName}: ${e.message}")
            e.printStackTrace()
        }
        println("$name: ${Checks.passed + Checks.failed - before} checks")
    }
    val seconds = (System.nanoTime() - started) / 1e9
    println("kotlin: %.1fs".format(seconds))
    println("${Checks.passed} passed, ${Checks.failed} failed")
    exitProcess(if (Checks.failed == 0 && Checks.passed > 0) 0 else 1)
}
