'use strict';

const { NotImplementedError } = require('../errors');

function bookingController({ bookingService }) { // eslint-disable-line no-unused-vars
  return {
    async create(req, res) { // eslint-disable-line no-unused-vars
      throw new NotImplementedError('POST /events/:id/bookings');
    },

    async listForEvent(req, res) { // eslint-disable-line no-unused-vars
      throw new NotImplementedError('GET /events/:id/bookings');
    },

    async get(req, res) { // eslint-disable-line no-unused-vars
      throw new NotImplementedError('GET /bookings/:id');
    },

    async cancel(req, res) { // eslint-disable-line no-unused-vars
      throw new NotImplementedError('POST /bookings/:id/cancel');
    },

    async checkIn(req, res) { // eslint-disable-line no-unused-vars
      throw new NotImplementedError('POST /check-ins');
    },

    async sales(req, res) { // eslint-disable-line no-unused-vars
      throw new NotImplementedError('GET /events/:id/sales');
    },
  };
}

module.exports = { bookingController };
