'use strict';

const { BaseRepository } = require('./baseRepository');

// E<event id>-B<booking id>-<ticket number>
const TICKET_CODE = /^E(\d+)-B(\d+)-(\d+)$/;

function ticketCode(eventId, bookingId, n) {
  return `E${eventId}-B${bookingId}-${n}`;
}

class BookingRepository extends BaseRepository {
  constructor(store) {
    super(store, 'bookings');
  }

  /** Inserts a booking and issues its `quantity` tickets (codes derive from the ids). */
  insert(fields) {
    const booking = super.insert({ ...fields, tickets: [], cancelled_at: null });
    const tickets = [];
    for (let n = 1; n <= booking.quantity; n += 1) {
      tickets.push({ code: ticketCode(booking.event_id, booking.id, n), checked_in: false });
    }
    return this.update(booking.id, { tickets });
  }

  /** Filter: status. Ordered by id. */
  listForEvent(eventId, { status } = {}) {
    return this.filter((b) => b.event_id === eventId && (!status || b.status === status))
      .sort((a, b) => a.id - b.id);
  }

  listForCustomer(eventId, customerEmail) {
    return this.filter((b) => b.event_id === eventId && b.customer_email === customerEmail);
  }

  /** Finds the booking holding the ticket with this code, or undefined. */
  findByTicketCode(code) {
    const match = TICKET_CODE.exec(code);
    if (!match) return undefined;
    const booking = this.findById(Number(match[2]));
    if (!booking || booking.event_id !== Number(match[1])) return undefined;
    return booking.tickets.some((t) => t.code === code) ? booking : undefined;
  }
}

module.exports = { BookingRepository, ticketCode, TICKET_CODE };
