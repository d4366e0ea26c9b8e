'use strict';

const express = require('express');
const { asyncHandler } = require('../middleware/asyncHandler');
const { validate, idParams } = require('../middleware/validate');
const { orderSchemas } = require('../validation/orders');

function orderRouter(controller, config) {
  const schemas = orderSchemas(config);
  const router = express.Router();
  router.post('/', validate({ body: schemas.createOrder }), asyncHandler(controller.create));
  router.get('/', validate({ query: schemas.listOrdersQuery }), asyncHandler(controller.list));
  router.get('/:id', validate({ params: idParams }), asyncHandler(controller.get));
  router.post('/:id/ship', validate({ params: idParams }), asyncHandler(controller.ship));
  router.post('/:id/cancel', validate({ params: idParams }), asyncHandler(controller.cancel));
  return router;
}

module.exports = { orderRouter };
