'use strict';

const { NotImplementedError } = require('../errors');

class ProductService {
  constructor({ db, products }) {
    this.db = db;
    this.products = products;
  }

  async create(input) { // eslint-disable-line no-unused-vars
    throw new NotImplementedError('ProductService.create');
  }

  async list(filters) { // eslint-disable-line no-unused-vars
    throw new NotImplementedError('ProductService.list');
  }

  async get(id) { // eslint-disable-line no-unused-vars
    throw new NotImplementedError('ProductService.get');
  }

  async update(id, changes) { // eslint-disable-line no-unused-vars
    throw new NotImplementedError('ProductService.update');
  }

  async remove(id) { // eslint-disable-line no-unused-vars
    throw new NotImplementedError('ProductService.remove');
  }
}

module.exports = { ProductService };
