'use strict';

const { eventToJson } = require('../models/serializers');
const { NotFoundError, ConflictError, BusinessRuleError } = require('../errors');

class EventService {
  constructor({ events, venues, bookings }) {
    this.events = events;
    this.venues = venues;
    this.bookings = bookings;
  }

  requireEvent(id) {
    const event = this.events.findById(id);
    if (!event) throw new NotFoundError(`event ${id} not found`);
    return event;
  }

  async create({ venue_id: venueId, title, starts_at: startsAt, price_cents: priceCents, capacity }) {
    const venue = this.venues.findById(venueId);
    if (!venue) throw new NotFoundError(`venue ${venueId} not found`);
    const seats = capacity === undefined ? venue.capacity : capacity;
    if (seats > venue.capacity) {
      throw new BusinessRuleError('capacity_exceeds_venue',
        `capacity ${seats} exceeds the ${venue.capacity} seats of venue ${venue.id}`);
    }
    const event = this.events.insert({
      venue_id: venue.id,
      title,
      starts_at: startsAt,
      price_cents: priceCents,
      capacity: seats,
      status: 'draft',
      tickets_sold: 0,
    });
    await this.events.persist();
    return eventToJson(event);
  }

  async list({ status, venue_id: venueId, from, to }) {
    const items = this.events.list({ status, venueId, from, to }).map(eventToJson);
    return { items, count: items.length };
  }

  async get(id) {
    return eventToJson(this.requireEvent(id));
  }

  /** Title and start can change until the event is cancelled; the price only while it is a draft. */
  async update(id, changes) {
    const event = this.requireEvent(id);
    if (event.status === 'cancelled') {
      throw new ConflictError('invalid_event_state', `event ${id} is cancelled and cannot be changed`);
    }
    if (changes.price_cents !== undefined && changes.price_cents !== event.price_cents
        && event.status !== 'draft') {
      throw new ConflictError('price_locked', `event ${id} is on sale; its price cannot change`);
    }
    if (changes.capacity !== undefined) {
      const venue = this.venues.findById(event.venue_id);
      if (changes.capacity > venue.capacity) {
        throw new BusinessRuleError('capacity_exceeds_venue',
          `capacity ${changes.capacity} exceeds the ${venue.capacity} seats of venue ${venue.id}`);
      }
      if (changes.capacity < event.tickets_sold) {
        throw new BusinessRuleError('capacity_below_sold',
          `${event.tickets_sold} tickets are already sold for event ${id}`);
      }
    }
    if (Object.keys(changes).length === 0) return eventToJson(event);
    const updated = this.events.update(id, changes);
    await this.events.persist();
    return eventToJson(updated);
  }

  async publish(id) {
    const event = this.requireEvent(id);
    if (event.status !== 'draft') {
      throw new ConflictError('invalid_event_state', `event ${id} is ${event.status}, only a draft can be published`);
    }
    const updated = this.events.update(id, { status: 'on_sale' });
    await this.events.persist();
    return eventToJson(updated);
  }

  /** Cancels the event and every confirmed booking of it; the seats are released. */
  async cancel(id) {
    const event = this.requireEvent(id);
    if (event.status === 'cancelled') {
      throw new ConflictError('invalid_event_state', `event ${id} is already cancelled`);
    }
    const now = new Date().toISOString();
    const confirmed = this.bookings.listForEvent(id, { status: 'confirmed' });
    for (const booking of confirmed) {
      this.bookings.update(booking.id, { status: 'cancelled', cancelled_at: now });
    }
    const updated = this.events.update(id, { status: 'cancelled', tickets_sold: 0 });
    await this.events.persist();
    return { event: eventToJson(updated), cancelled_bookings: confirmed.length };
  }
}

module.exports = { EventService };
