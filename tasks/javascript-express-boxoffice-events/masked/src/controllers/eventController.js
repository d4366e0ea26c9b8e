'use strict';

const { NotImplementedError } = require('../errors');

function eventController({ eventService }) { // eslint-disable-line no-unused-vars
  return {
    async create(req, res) { // eslint-disable-line no-unused-vars
      throw new NotImplementedError('POST /events');
    },

    async list(req, res) { // eslint-disable-line no-unused-vars
      throw new NotImplementedError('GET /events');
    },

    async get(req, res) { // eslint-disable-line no-unused-vars
      throw new NotImplementedError('GET /events/:id');
    },

    async update(req, res) { // eslint-disable-line no-unused-vars
      throw new NotImplementedError('PATCH /events/:id');
    },

    async publish(req, res) { // eslint-disable-line no-unused-vars
      throw new NotImplementedError('POST /events/:id/publish');
    },

    async cancel(req, res) { // eslint-disable-line no-unused-vars
      throw new NotImplementedError('POST /events/:id/cancel');
    },
  };
}

module.exports = { eventController };
