'use strict';

const express = require('express');
const { asyncHandler } = require('../middleware/asyncHandler');

// TODO: validate path parameters, query strings and bodies (see middleware/validate.js and
// validation/products.js) before the controller runs.
function productRouter(controller) {
  const router = express.Router();
  router.post('/', asyncHandler(controller.create));
  router.get('/', asyncHandler(controller.list));
  router.get('/:id', asyncHandler(controller.get));
  router.patch('/:id', asyncHandler(controller.update));
  router.delete('/:id', asyncHandler(controller.remove));
  return router;
}

module.exports = { productRouter };
