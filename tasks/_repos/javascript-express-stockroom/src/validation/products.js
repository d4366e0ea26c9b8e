'use strict';

const { SKU_PATTERN } = require('../models/constants');

const createProduct = {
  sku: {
    type: 'string', required: true, pattern: SKU_PATTERN,
    patternMessage: 'must be 3-32 characters of A-Z, 0-9 and "-", starting with a letter or digit',
  },
  name: { type: 'string', required: true, minLength: 1, maxLength: 120 },
  description: { type: 'string', maxLength: 2000, default: '' },
  unit_price_cents: { type: 'integer', required: true, min: 0, max: 100000000 },
  reorder_level: { type: 'integer', min: 0, max: 1000000, default: 0 },
  active: { type: 'boolean', default: true },
};

const updateProduct = {
  name: { type: 'string', minLength: 1, maxLength: 120 },
  description: { type: 'string', maxLength: 2000 },
  unit_price_cents: { type: 'integer', min: 0, max: 100000000 },
  reorder_level: { type: 'integer', min: 0, max: 1000000 },
  active: { type: 'boolean' },
};

const listProductsQuery = {
  search: { type: 'string', maxLength: 100 },
  active: { type: 'boolean', coerce: true },
  limit: { type: 'integer', coerce: true, min: 1, max: 100, default: 20 },
  offset: { type: 'integer', coerce: true, min: 0, default: 0 },
};

module.exports = { createProduct, updateProduct, listProductsQuery };
