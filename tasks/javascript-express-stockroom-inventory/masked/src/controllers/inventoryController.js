'use strict';

const { NotImplementedError } = require('../errors');

function inventoryController({ inventoryService }) { // eslint-disable-line no-unused-vars
  return {
    async adjust(req, res) { // eslint-disable-line no-unused-vars
      throw new NotImplementedError('POST /products/:id/adjustments');
    },

    async movements(req, res) { // eslint-disable-line no-unused-vars
      throw new NotImplementedError('GET /products/:id/movements');
    },

    async lowStock(req, res) { // eslint-disable-line no-unused-vars
      throw new NotImplementedError('GET /inventory/low-stock');
    },
  };
}

module.exports = { inventoryController };
