'use strict';

const express = require('express');
const { asyncHandler } = require('../middleware/asyncHandler');

// TODO: validate path parameters, query strings and bodies (see middleware/validate.js and
// validation/orders.js) before the controller runs.
function orderRouter(controller, config) { // eslint-disable-line no-unused-vars
  const router = express.Router();
  router.post('/', asyncHandler(controller.create));
  router.get('/', asyncHandler(controller.list));
  router.get('/:id', asyncHandler(controller.get));
  router.post('/:id/ship', asyncHandler(controller.ship));
  router.post('/:id/cancel', asyncHandler(controller.cancel));
  return router;
}

module.exports = { orderRouter };
