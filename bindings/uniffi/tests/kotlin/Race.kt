// Kotlin threads race for the same seats on one engine: exactly one winner per seat.
package org.bookingcore.test

import org.bookingcore.*
import org.bookingcore.model.*
import org.bookingcore.test.Checks.check
import org.bookingcore.test.Checks.equal
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger

const val THREADS = 8
const val ROUNDS = 40

/** Row names of letters only (`AA`, `AB`...), so that a label is its row name then digits. */
fun rowName(round: Int) = "${'A' + round / 26}${'A' + round % 26}"

fun race() {
    val layout = (0 until ROUNDS).joinToString("\n") { "row ${rowName(it)}: 1-12" }
    Fixture(noOrphan = false, layoutText = layout).use { f ->
        val pool = Executors.newFixedThreadPool(THREADS)
        val refusedOtherwise = AtomicInteger()
        for (round in 0 until ROUNDS) {
            val row = rowName(round)
            // Thread t wants seats t+1..t+3 of the row, so neighbours overlap; in odd rounds every
            // thread wants the very same seats.
            val wants = (0 until THREADS).map { t ->
                val first = if (round % 2 == 1) 5 else t + 1
                (first until first + 3).map { "$row$it" }
            }
            val start = CountDownLatch(1)
            val results = (0 until THREADS).map { t ->
                pool.submit<Hold?> {
                    start.await()
                    try {
                        f.hold("owner-$round-$t", *wants[t].toTypedArray())
                    } catch (e: BookingException.SeatUnavailable) {
                        null
                    } catch (e: BookingException) {
                        refusedOtherwise.incrementAndGet()
                        null
                    }
                }
            }
            start.countDown()
            val winners = results.mapNotNull { it.get(30, TimeUnit.SECONDS) }
            val seats = winners.flatMap { it.seats }
            check(seats.size == seats.toSet().size, "round $round: no seat won twice: $seats")
            check(winners.isNotEmpty(), "round $round: someone wins")
            if (round % 2 == 1) equal(winners.size, 1, "round $round: one winner for the same seats")
            // The store agrees with the winners: exactly their seats of the row are held.
            val held = f.engine.seatMap(f.show.id).seats
                .filter { it.label.removePrefix(row).let { n -> n != it.label && n.all(Char::isDigit) } }
                .filter { it.status == SeatStatus.HELD }
                .map { it.label }.toSet()
            equal(held, seats.toSet(), "round $round: the seat map shows exactly the winners' seats")
        }
        pool.shutdown()
        equal(refusedOtherwise.get(), 0, "losers are refused with SeatUnavailable only")
    }
}
