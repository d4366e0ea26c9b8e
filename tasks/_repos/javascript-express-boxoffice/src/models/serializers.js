'use strict';

function venueToJson(v) {
  return { id: v.id, name: v.name, city: v.city, capacity: v.capacity, created_at: v.created_at };
}

function eventToJson(e) {
  return {
    id: e.id,
    venue_id: e.venue_id,
    title: e.title,
    starts_at: e.starts_at,
    price_cents: e.price_cents,
    capacity: e.capacity,
    status: e.status,
    tickets_sold: e.tickets_sold,
    tickets_available: e.capacity - e.tickets_sold,
    created_at: e.created_at,
    updated_at: e.updated_at,
  };
}

function bookingToJson(b) {
  return {
    id: b.id,
    event_id: b.event_id,
    customer_email: b.customer_email,
    quantity: b.quantity,
    total_cents: b.total_cents,
    status: b.status,
    tickets: b.tickets.map((t) => ({ code: t.code, checked_in: t.checked_in })),
    created_at: b.created_at,
    cancelled_at: b.cancelled_at,
  };
}

module.exports = { venueToJson, eventToJson, bookingToJson };
