'use strict';

const { BaseRepository } = require('./baseRepository');

class VenueRepository extends BaseRepository {
  constructor(store) {
    super(store, 'venues');
  }

  findByNameAndCity(name, city) {
    const key = `${name.toLowerCase()}|${city.toLowerCase()}`;
    return this.filter((v) => `${v.name.toLowerCase()}|${v.city.toLowerCase()}` === key)[0];
  }

  /** Filter: city (case-insensitive). Ordered by name, then id. */
  list({ city } = {}) {
    const rows = this.filter((v) => !city || v.city.toLowerCase() === city.toLowerCase());
    return rows.sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
  }
}

module.exports = { VenueRepository };
