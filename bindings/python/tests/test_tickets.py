"""Tickets verify offline with the engine's public key alone, as a door scanner would."""

from __future__ import annotations

import pytest

import booking_core as bc
from booking_core import Engine, Show


def test_a_scanner_verifies_tickets_with_the_public_key_alone(engine: Engine, show: Show) -> None:
    hold = engine.hold(show.id, "ann", ["A4", "A5"])
    booking = engine.create_booking(hold.id, "ann", "order-1", hold.fence)
    done = engine.confirm_booking(booking.id, "ann", "psp-1", "pay-1")
    keys = engine.ticket_keys()
    assert [(k.kty, k.crv, k.alg, k.signing) for k in keys.keys] == [("OKP", "Ed25519", "EdDSA", True)]
    public = [k.x for k in keys.keys]
    claims = bc.verify_ticket(done.tickets[1].code, public)
    assert (claims.show, claims.booking) == (show.id, booking.id)
    assert isinstance(claims, bc.TicketClaims) and claims.seat >= 0
    # A forged code, or the key of another engine, is refused with the reason.
    forged = done.tickets[1].code.replace(f".{booking.id}.", f".{booking.id + 1}.", 1)
    with pytest.raises(bc.InvalidTicketError) as e:
        bc.verify_ticket(forged, public)
    assert e.value.details["reason"] == "signature does not match"
    other = Engine(b"another secret of 32 bytes at least!").ticket_keys().keys[0].x
    with pytest.raises(bc.InvalidTicketError, match="unknown key"):
        bc.verify_ticket(done.tickets[0].code, [other])
    # Keys that cannot be read name the field; verification changed nothing at the door.
    with pytest.raises(bc.InvalidInputError) as bad:
        bc.verify_ticket(done.tickets[0].code, ["not a key"])
    assert bad.value.details["field"] == "public_keys"
    with pytest.raises(bc.InvalidInputError):
        bc.verify_ticket(done.tickets[0].code, [])
    assert not engine.tickets(booking.id, "ann")[0].checked_in
