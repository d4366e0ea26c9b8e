'use strict';

const { NotImplementedError } = require('../errors');

function productController({ productService }) { // eslint-disable-line no-unused-vars
  return {
    async create(req, res) { // eslint-disable-line no-unused-vars
      throw new NotImplementedError('POST /products');
    },

    async list(req, res) { // eslint-disable-line no-unused-vars
      throw new NotImplementedError('GET /products');
    },

    async get(req, res) { // eslint-disable-line no-unused-vars
      throw new NotImplementedError('GET /products/:id');
    },

    async update(req, res) { // eslint-disable-line no-unused-vars
      throw new NotImplementedError('PATCH /products/:id');
    },

    async remove(req, res) { // eslint-disable-line no-unused-vars
      throw new NotImplementedError('DELETE /products/:id');
    },
  };
}

module.exports = { productController };
