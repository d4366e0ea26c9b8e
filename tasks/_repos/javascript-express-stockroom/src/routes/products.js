'use strict';

const express = require('express');
const { asyncHandler } = require('../middleware/asyncHandler');
const { validate, idParams } = require('../middleware/validate');
const schemas = require('../validation/products');

function productRouter(controller) {
  const router = express.Router();
  router.post('/', validate({ body: schemas.createProduct }), asyncHandler(controller.create));
  router.get('/', validate({ query: schemas.listProductsQuery }), asyncHandler(controller.list));
  router.get('/:id', validate({ params: idParams }), asyncHandler(controller.get));
  router.patch('/:id', validate({ params: idParams, body: schemas.updateProduct }),
    asyncHandler(controller.update));
  router.delete('/:id', validate({ params: idParams }), asyncHandler(controller.remove));
  return router;
}

module.exports = { productRouter };
