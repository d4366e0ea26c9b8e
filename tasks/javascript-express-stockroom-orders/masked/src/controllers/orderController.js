'use strict';

const { NotImplementedError } = require('../errors');

function orderController({ orderService }) { // eslint-disable-line no-unused-vars
  return {
    async create(req, res) { // eslint-disable-line no-unused-vars
      throw new NotImplementedError('POST /orders');
    },

    async list(req, res) { // eslint-disable-line no-unused-vars
      throw new NotImplementedError('GET /orders');
    },

    async get(req, res) { // eslint-disable-line no-unused-vars
      throw new NotImplementedError('GET /orders/:id');
    },

    async ship(req, res) { // eslint-disable-line no-unused-vars
      throw new NotImplementedError('POST /orders/:id/ship');
    },

    async cancel(req, res) { // eslint-disable-line no-unused-vars
      throw new NotImplementedError('POST /orders/:id/cancel');
    },
  };
}

module.exports = { orderController };
