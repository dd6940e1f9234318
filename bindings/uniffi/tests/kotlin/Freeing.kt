// Objects are freed: many create/use/close cycles leave no live native object behind, and the
// process's resident memory stays bounded.
package org.bookingcore.test

import org.bookingcore.*
import org.bookingcore.model.*
import org.bookingcore.test.Checks.check
import org.bookingcore.test.Checks.equal
import java.io.File

const val CYCLES = 1000
const val RSS_GROWTH_KB_MAX = 64 * 1024

/** Resident set size of this process, in KiB (Linux). */
fun rssKb(): Long = File("/proc/self/status").readLines()
    .first { it.startsWith("VmRSS:") }.split(Regex("\\s+"))[1].toLong()

/** A big layout, so that a leaked engine (its show inventory) would show in the RSS. */
val BIG_LAYOUT = (0 until 40).joinToString("\n") { "row ${rowName(it)}: 1-50" }

fun cycle(n: Int) {
    Fixture(layoutText = BIG_LAYOUT).use { f ->
        f.hold("owner-$n", "AA1", "AA2")
        f.engine.seatLayout(f.show.id).use { check(it.seatCount() == 2000u, "layout of cycle $n") }
        check(f.engine.seatMap(f.show.id).available == 1998u, "seat map of cycle $n")
    }
}

fun freeing() {
    val base = liveObjectCount()
    Fixture().use { equal(liveObjectCount(), base + 1u, "a live engine is counted") }
    equal(liveObjectCount(), base, "a closed engine is freed")
    repeat(100) { cycle(it) }
    System.gc()
    val rssBefore = rssKb()
    for (n in 0 until CYCLES) cycle(n)
    System.gc()
    val growth = rssKb() - rssBefore
    equal(liveObjectCount(), base, "no live object after $CYCLES cycles")
    check(growth < RSS_GROWTH_KB_MAX, "RSS grew by $growth KiB over $CYCLES cycles (max $RSS_GROWTH_KB_MAX)")
    println("freeing: RSS grew by $growth KiB over $CYCLES cycles")
}
