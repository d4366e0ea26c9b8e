'use strict';

const { NotImplementedError } = require('../errors');

class EventService {
  constructor({ events, venues, bookings }) {
    this.events = events;
    this.venues = venues;
    this.bookings = bookings;
  }

  async create(input) { // eslint-disable-line no-unused-vars
    throw new NotImplementedError('EventService.create');
  }

  async list(filters) { // eslint-disable-line no-unused-vars
    throw new NotImplementedError('EventService.list');
  }

  async get(id) { // eslint-disable-line no-unused-vars
    throw new NotImplementedError('EventService.get');
  }

  async update(id, changes) { // eslint-disable-line no-unused-vars
    throw new NotImplementedError('EventService.update');
  }

  async publish(id) { // eslint-disable-line no-unused-vars
    throw new NotImplementedError('EventService.publish');
  }

  async cancel(id) { // eslint-disable-line no-unused-vars
    throw new NotImplementedError('EventService.cancel');
  }
}

module.exports = { EventService };
