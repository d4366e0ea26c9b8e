'use strict';

const { venueToJson } = require('../models/serializers');
const { NotFoundError, ConflictError } = require('../errors');

class VenueService {
  constructor({ venues }) {
    this.venues = venues;
  }

  async create({ name, city, capacity }) {
    if (this.venues.findByNameAndCity(name, city)) {
      throw new ConflictError('duplicate_venue', `a venue named ${name} already exists in ${city}`);
    }
    const venue = this.venues.insert({ name, city, capacity });
    await this.venues.persist();
    return venueToJson(venue);
  }

  async list({ city }) {
    const items = this.venues.list({ city }).map(venueToJson);
    return { items, count: items.length };
  }

  async get(id) {
    const venue = this.venues.findById(id);
    if (!venue) throw new NotFoundError(`venue ${id} not found`);
    return venueToJson(venue);
  }
}

module.exports = { VenueService };
