'use strict';

const { NotImplementedError } = require('../errors');

class BookingService {
  constructor({ bookings, events, maxTicketsPerCustomer }) {
    this.bookings = bookings;
    this.events = events;
    this.maxTicketsPerCustomer = maxTicketsPerCustomer;
  }

  async create(eventId, input) { // eslint-disable-line no-unused-vars
    throw new NotImplementedError('BookingService.create');
  }

  async listForEvent(eventId, filters) { // eslint-disable-line no-unused-vars
    throw new NotImplementedError('BookingService.listForEvent');
  }

  async get(id) { // eslint-disable-line no-unused-vars
    throw new NotImplementedError('BookingService.get');
  }

  async cancel(id) { // eslint-disable-line no-unused-vars
    throw new NotImplementedError('BookingService.cancel');
  }

  async checkIn(code) { // eslint-disable-line no-unused-vars
    throw new NotImplementedError('BookingService.checkIn');
  }

  async sales(eventId) { // eslint-disable-line no-unused-vars
    throw new NotImplementedError('BookingService.sales');
  }
}

module.exports = { BookingService };
