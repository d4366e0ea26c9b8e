'use strict';

const express = require('express');
const { asyncHandler } = require('../middleware/asyncHandler');
const { productRouter } = require('./products');
const { inventoryRouter } = require('./inventory');
const { orderRouter } = require('./orders');

function apiRouter({ controllers, config }) {
  const router = express.Router();
  router.get('/health', asyncHandler(controllers.health.health));
  router.use('/products', productRouter(controllers.products));
  router.use('/orders', orderRouter(controllers.orders, config));
  router.use('/', inventoryRouter(controllers.inventory));
  return router;
}

module.exports = { apiRouter };
