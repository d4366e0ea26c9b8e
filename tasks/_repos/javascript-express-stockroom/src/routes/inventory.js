'use strict';

const express = require('express');
const { asyncHandler } = require('../middleware/asyncHandler');
const { validate, idParams } = require('../middleware/validate');
const schemas = require('../validation/inventory');

/** Stock adjustments and movements live under /products/:id; reports under /inventory. */
function inventoryRouter(controller) {
  const router = express.Router();
  router.post('/products/:id/adjustments',
    validate({ params: idParams, body: schemas.createAdjustment }), asyncHandler(controller.adjust));
  router.get('/products/:id/movements',
    validate({ params: idParams, query: schemas.listMovementsQuery }), asyncHandler(controller.movements));
  router.get('/inventory/low-stock', asyncHandler(controller.lowStock));
  return router;
}

module.exports = { inventoryRouter };
