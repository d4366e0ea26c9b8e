'use strict';

const { bookingToJson } = require('../models/serializers');
const { NotFoundError, ConflictError, BusinessRuleError } = require('../errors');

class BookingService {
  constructor({ bookings, events, maxTicketsPerCustomer }) {
    this.bookings = bookings;
    this.events = events;
    this.maxTicketsPerCustomer = maxTicketsPerCustomer;
  }

  requireEvent(id) {
    const event = this.events.findById(id);
    if (!event) throw new NotFoundError(`event ${id} not found`);
    return event;
  }

  /**
   * Books `quantity` seats. Checks, in order: the event exists and is on sale, the customer stays
   * within the per-customer limit (confirmed bookings only), enough seats are left.
   */
  async create(eventId, { customer_email: customerEmail, quantity }) {
    const event = this.requireEvent(eventId);
    if (event.status !== 'on_sale') {
      throw new ConflictError('event_not_on_sale', `event ${eventId} is ${event.status}, tickets are not on sale`);
    }
    const held = this.bookings.listForCustomer(eventId, customerEmail)
      .filter((b) => b.status === 'confirmed')
      .reduce((sum, b) => sum + b.quantity, 0);
    if (held + quantity > this.maxTicketsPerCustomer) {
      throw new BusinessRuleError('customer_limit_exceeded',
        `a customer may hold at most ${this.maxTicketsPerCustomer} tickets per event (already holds ${held})`);
    }
    const available = event.capacity - event.tickets_sold;
    if (quantity > available) {
      throw new ConflictError('sold_out', `only ${available} ticket(s) left for event ${eventId}`,
        { available });
    }
    const booking = this.bookings.insert({
      event_id: eventId,
      customer_email: customerEmail,
      quantity,
      total_cents: quantity * event.price_cents,
      status: 'confirmed',
    });
    this.events.update(eventId, { tickets_sold: event.tickets_sold + quantity });
    await this.bookings.persist();
    return bookingToJson(booking);
  }

  async listForEvent(eventId, { status }) {
    this.requireEvent(eventId);
    const items = this.bookings.listForEvent(eventId, { status }).map(bookingToJson);
    return { items, count: items.length };
  }

  async get(id) {
    const booking = this.bookings.findById(id);
    if (!booking) throw new NotFoundError(`booking ${id} not found`);
    return bookingToJson(booking);
  }

  async cancel(id) {
    const booking = this.bookings.findById(id);
    if (!booking) throw new NotFoundError(`booking ${id} not found`);
    if (booking.status === 'cancelled') {
      throw new ConflictError('booking_cancelled', `booking ${id} is already cancelled`);
    }
    if (booking.tickets.some((t) => t.checked_in)) {
      throw new BusinessRuleError('tickets_checked_in',
        `booking ${id} has checked-in tickets and cannot be cancelled`);
    }
    const event = this.events.findById(booking.event_id);
    const updated = this.bookings.update(id, { status: 'cancelled', cancelled_at: new Date().toISOString() });
    this.events.update(event.id, { tickets_sold: event.tickets_sold - booking.quantity });
    await this.bookings.persist();
    return bookingToJson(updated);
  }

  /** Door scan: marks one ticket as used. */
  async checkIn(code) {
    const booking = this.bookings.findByTicketCode(code);
    if (!booking) throw new NotFoundError(`ticket ${code} not found`);
    if (booking.status !== 'confirmed') {
      throw new BusinessRuleError('booking_cancelled', `ticket ${code} belongs to a cancelled booking`);
    }
    const tickets = booking.tickets.map((t) => ({ ...t }));
    const ticket = tickets.find((t) => t.code === code);
    if (ticket.checked_in) {
      throw new ConflictError('already_checked_in', `ticket ${code} was already checked in`);
    }
    ticket.checked_in = true;
    this.bookings.update(booking.id, { tickets });
    await this.bookings.persist();
    return { code, booking_id: booking.id, event_id: booking.event_id, checked_in: true };
  }

  async sales(eventId) {
    const event = this.requireEvent(eventId);
    const all = this.bookings.listForEvent(eventId);
    const confirmed = all.filter((b) => b.status === 'confirmed');
    return {
      event_id: event.id,
      status: event.status,
      capacity: event.capacity,
      tickets_sold: event.tickets_sold,
      tickets_available: event.capacity - event.tickets_sold,
      tickets_checked_in: confirmed.reduce((n, b) => n + b.tickets.filter((t) => t.checked_in).length, 0),
      bookings_confirmed: confirmed.length,
      bookings_cancelled: all.length - confirmed.length,
      gross_revenue_cents: confirmed.reduce((sum, b) => sum + b.total_cents, 0),
    };
  }
}

module.exports = { BookingService };
