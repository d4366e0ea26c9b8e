'use strict';

const { NotImplementedError } = require('../errors');

class InventoryService {
  constructor({ db, products, movements }) {
    this.db = db;
    this.products = products;
    this.movements = movements;
  }

  async adjust(productId, input) { // eslint-disable-line no-unused-vars
    throw new NotImplementedError('InventoryService.adjust');
  }

  async listMovements(productId, filters) { // eslint-disable-line no-unused-vars
    throw new NotImplementedError('InventoryService.listMovements');
  }

  async lowStock() {
    throw new NotImplementedError('InventoryService.lowStock');
  }
}

module.exports = { InventoryService };
