'use strict';

const express = require('express');
const { asyncHandler } = require('../middleware/asyncHandler');

/** Stock adjustments and movements live under /products/:id; reports under /inventory. */
// TODO: validate path parameters, query strings and bodies (see middleware/validate.js and
// validation/inventory.js) before the controller runs.
function inventoryRouter(controller) {
  const router = express.Router();
  router.post('/products/:id/adjustments', asyncHandler(controller.adjust));
  router.get('/products/:id/movements', asyncHandler(controller.movements));
  router.get('/inventory/low-stock', asyncHandler(controller.lowStock));
  return router;
}

module.exports = { inventoryRouter };
