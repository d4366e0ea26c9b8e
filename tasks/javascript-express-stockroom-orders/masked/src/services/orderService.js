'use strict';

const { NotImplementedError } = require('../errors');

class OrderService {
  constructor({ db, orders, products, movements }) {
    this.db = db;
    this.orders = orders;
    this.products = products;
    this.movements = movements;
  }

  async create(input) { // eslint-disable-line no-unused-vars
    throw new NotImplementedError('OrderService.create');
  }

  async list(filters) { // eslint-disable-line no-unused-vars
    throw new NotImplementedError('OrderService.list');
  }

  async get(id) { // eslint-disable-line no-unused-vars
    throw new NotImplementedError('OrderService.get');
  }

  async ship(id) { // eslint-disable-line no-unused-vars
    throw new NotImplementedError('OrderService.ship');
  }

  async cancel(id) { // eslint-disable-line no-unused-vars
    throw new NotImplementedError('OrderService.cancel');
  }
}

module.exports = { OrderService };
