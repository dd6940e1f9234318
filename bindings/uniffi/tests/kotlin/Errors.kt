// Every error variant is caught as its own Kotlin type, with its details and its stable code.
package org.bookingcore.test

import org.bookingcore.*
import org.bookingcore.model.*
import org.bookingcore.test.Checks.check
import org.bookingcore.test.Checks.equal
import org.bookingcore.test.Checks.throws
import java.time.Duration

fun errors() = Fixture().use { f ->
    val e = f.engine
    val codes = mutableSetOf<String>()
    fun code(err: BookingException?) = err?.errorCode()?.also { codes.add(it) }

    val invalid = throws<BookingException.InvalidInput>("empty owner") { f.hold("", "A1", "A2") }
    equal(invalid?.field, "owner", "invalid input field")
    equal(code(invalid), "INVALID_INPUT", "code")
    equal(code(throws<BookingException.InvalidInput>("short key") { BookingEngine(ByteArray(8)) }), "INVALID_INPUT", "code")

    val layout = throws<BookingException.InvalidLayout>("bad layout") { SeatLayout.fromText("row A: 1-3\nrow B 1-3") }
    equal(layout?.issues?.first()?.let { it.line to it.column }, 2u to 1u, "layout issue position")
    equal(code(layout), "INVALID_LAYOUT", "code")

    val pricing = throws<BookingException.InvalidPricing>("bad policy") {
        PricingPolicy.fromJson("""{"currency": "EUR", "category_prices": {"standard": -5}}""")
    }
    equal(code(pricing), "INVALID_PRICING", "code")

    val promo = throws<BookingException.PromoRejected>("unknown promo") {
        e.quote(f.show.id, listOf(SeatChoice("A1"), SeatChoice("A2")), promoCode = "NOPE")
    }
    equal(promo?.promoCode, "NOPE", "promo code detail")
    equal(code(promo), "PROMO_REJECTED", "code")

    val missing = throws<BookingException.NotFound>("no such show") { e.show(999L) }
    equal(missing?.entity, "show", "not found entity")
    equal(code(missing), "NOT_FOUND", "code")

    val held = f.hold("ann", "A4", "A5")
    val taken = throws<BookingException.SeatUnavailable>("seat taken") { f.hold("bob", "A5", "A6") }
    equal(taken?.seats, listOf("A5"), "unavailable seats by label")
    equal(code(taken), "SEAT_UNAVAILABLE", "code")

    val orphan = throws<BookingException.SelectionRule>("orphan") { f.hold("bob", "A2") }
    equal(orphan?.rule, SelectionRuleKind.ORPHAN_SEAT, "orphan rule")
    equal(orphan?.seats, listOf("A1", "A3"), "stranded seats, between the row end and the held A4")
    val pair = throws<BookingException.SelectionRule>("split pair") { f.hold("bob", "C5") }
    equal(pair?.rule, SelectionRuleKind.PAIR_SPLIT, "pair rule")
    equal(code(pair), "SELECTION_RULE", "code")
    val offline = throws<BookingException.SelectionRule>("offline orphan") {
        e.seatLayout(f.show.id).use { it.checkSelection(listOf("A2"), emptyList(), true) }
    }
    equal(offline?.seats, listOf("A1"), "offline check names the stranded seat")

    val notOwner = throws<BookingException.NotOwner>("release by another") { e.releaseHold(held.id, Actor.Owner("bob")) }
    equal(code(notOwner), "NOT_OWNER", "code")

    val stale = throws<BookingException.StaleFence>("stale fence") {
        e.releaseHold(held.id, Actor.Owner("ann"), expectedFence = held.fence + 100L)
    }
    equal(stale?.current?.toLong(), held.fence, "current fence")
    equal(code(stale), "STALE_FENCE", "code")

    val tooMany = throws<BookingException.LimitExceeded>("eleven seats") {
        f.hold("cat", *(1..10).map { "B$it" }.plus("C1").toTypedArray())
    }
    equal(tooMany?.let { it.limit to it.max }, "seats_per_hold" to 10uL, "limit detail")
    equal(code(tooMany), "LIMIT_EXCEEDED", "code")

    val pending = e.createBooking(held.id, Actor.Owner("ann"), "create-1")
    val transition = throws<BookingException.InvalidTransition>("refund pending") {
        e.refundBooking(pending.id, Actor.Staff)
    }
    equal(transition?.let { it.from to it.action }, BookingStatus.PENDING to BookingAction.REFUND, "transition detail")
    equal(code(transition), "INVALID_TRANSITION", "code")

    // Keys are per owner: dan's "create-1" is his own, ann's second use of hers is a conflict.
    val other = f.hold("dan", "C9", "C10")
    equal(e.createBooking(other.id, Actor.Owner("dan"), "create-1").owner, "dan", "another owner's key")
    val again = f.hold("ann", "C1")
    val conflict = throws<BookingException.IdempotencyConflict>("key reused") {
        e.createBooking(again.id, Actor.Owner("ann"), "create-1")
    }
    equal(code(conflict), "IDEMPOTENCY_CONFLICT", "code")

    val later = PricingPolicy.simple("EUR", mapOf("standard" to 1200L)).use { pricing ->
        val starts = START.plus(Duration.ofDays(5))
        e.scheduleShow(ScheduleShow(f.screen.id, "Later", starts, starts.plus(Duration.ofHours(2))), pricing)
    }
    equal(later.accessibleUntil, later.startsAt.minus(Duration.ofHours(48)), "accessible places kept until")
    val kept = throws<BookingException.SelectionRule>("a wheelchair place, not asked for") {
        e.hold(HoldRequest(later.id, "ann", listOf(SeatChoice("B1"))))
    }
    equal(kept?.rule, SelectionRuleKind.ACCESSIBLE_ONLY, "accessible rule")
    val alone = throws<BookingException.SelectionRule>("a companion seat alone") {
        e.hold(HoldRequest(later.id, "ann", listOf(SeatChoice("B2")), accessible = true))
    }
    equal(alone?.rule, SelectionRuleKind.COMPANION_ALONE, "companion rule")
    val both = e.hold(HoldRequest(later.id, "ann", listOf(SeatChoice("B1"), SeatChoice("B2")), accessible = true))
    equal(both.seats, listOf("B1", "B2"), "asked for: both")

    val capped = BookingEngine.withManualClock(KEY, START, defaultEngineConfig().copy(ticketsPerOwnerMax = 2u))
    capped.use { c ->
        val screen = SeatLayout.fromText(LAYOUT).use { c.addScreen(c.createTheatre("Rex", "Lyon", "Europe/Paris").id, "Two", it) }
        val show = PricingPolicy.simple("EUR", mapOf("standard" to 1200L)).use { pricing ->
            val starts = START.plus(Duration.ofDays(2))
            c.scheduleShow(ScheduleShow(screen.id, "Metropolis", starts, starts.plus(Duration.ofHours(2))), pricing)
        }
        equal(show.ticketsPerOwnerMax, 2u, "the engine's default cap")
        c.hold(HoldRequest(show.id, "ann", listOf(SeatChoice("A1"))))
        val past = throws<BookingException.LimitExceeded>("a third ticket") {
            c.hold(HoldRequest(show.id, "ann", listOf(SeatChoice("A2"), SeatChoice("A3"))))
        }
        equal(past?.let { it.limit to it.max }, "tickets_per_owner" to 2uL, "limit detail")
    }

    val tickets = e.confirmBooking(pending.id, Actor.Owner("ann"), "pay", "confirm-1").tickets
    e.checkIn(tickets.first().code)
    val twice = throws<BookingException.AlreadyCheckedIn>("check in twice") { e.checkIn(tickets.first().code) }
    equal(twice?.seat, "A4", "checked-in seat label")
    equal(code(twice), "ALREADY_CHECKED_IN", "code")
    equal(code(throws<BookingException.InvalidTicket>("forged ticket") { e.checkIn("T2.1.1.1.00000000.AAAA") }), "INVALID_TICKET", "code")

    val overlap = throws<BookingException.ShowOverlap>("overlapping show") {
        PricingPolicy.simple("EUR", mapOf("standard" to 900L)).use {
            e.scheduleShow(ScheduleShow(f.screen.id, "Nosferatu", f.show.startsAt, f.show.endsAt), it)
        }
    }
    equal(overlap?.otherShowId?.toLong(), f.show.id, "overlapping show id")
    equal(code(overlap), "SHOW_OVERLAP", "code")

    val late = f.hold("eve", "B5", "B6")
    e.advanceClock(Duration.ofMinutes(15))
    val expired = throws<BookingException.HoldExpired>("extend expired") { e.extendHold(late.id, Actor.Owner("eve")) }
    equal(code(expired), "HOLD_EXPIRED", "code")

    e.cancelShow(f.show.id)
    val closed = throws<BookingException.SalesClosed>("cancelled show") { f.hold("eve", "B5", "B6") }
    equal(code(closed), "SALES_CLOSED", "code")

    // The memory store cannot fail, so these two cross the boundary the other way: built in
    // Kotlin, lowered to Rust for their code.
    equal(code(BookingException.StoreUnavailable("pool")), "STORE_UNAVAILABLE", "code")
    check(BookingException.StoreUnavailable("pool").isRetryable(), "unavailable is retryable")
    equal(code(BookingException.StoreFailure("disk")), "STORE_FAILURE", "code")
    check(!BookingException.StoreFailure("disk").isRetryable(), "failure is not retryable")

    // The payment codes come from the payment saga, which this binding does not run (it has no
    // gateway): they cross the boundary built in Kotlin, as the store's two do.
    equal(code(BookingException.PaymentDeclined("insufficient funds")), "PAYMENT_DECLINED", "code")
    equal(code(BookingException.PaymentTimeout()), "PAYMENT_TIMEOUT", "code")
    equal(code(BookingException.PaymentFailed("down")), "PAYMENT_FAILED", "code")

    equal(codes.size, 22, "every one of the 22 codes seen")
    val base = BookingException::class.java
    equal(base.declaredClasses.count { base.isAssignableFrom(it) && it != base }, 22, "one Kotlin class per code")
}
