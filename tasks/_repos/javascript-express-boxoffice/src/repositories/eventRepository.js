'use strict';

const { BaseRepository } = require('./baseRepository');

class EventRepository extends BaseRepository {
  constructor(store) {
    super(store, 'events');
  }

  insert(fields) {
    const record = super.insert({ ...fields, updated_at: null });
    return BaseRepository.prototype.update.call(this, record.id, { updated_at: record.created_at });
  }

  update(id, changes) {
    return super.update(id, { ...changes, updated_at: new Date().toISOString() });
  }

  /**
   * Filters (all optional, combined with AND): status, venueId, from / to (inclusive bounds on
   * starts_at; the fixed-width UTC format sorts as text). Ordered by starts_at, then id.
   */
  list({ status, venueId, from, to } = {}) {
    const rows = this.filter((e) => (!status || e.status === status)
      && (!venueId || e.venue_id === venueId)
      && (!from || e.starts_at >= from)
      && (!to || e.starts_at <= to));
    return rows.sort((a, b) => (a.starts_at < b.starts_at ? -1 : a.starts_at > b.starts_at ? 1 : a.id - b.id));
  }

  countForVenue(venueId) {
    return this.items.filter((e) => e.venue_id === venueId).length;
  }
}

module.exports = { EventRepository };
