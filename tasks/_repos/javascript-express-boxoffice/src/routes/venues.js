'use strict';

const express = require('express');
const { asyncHandler } = require('../middleware/asyncHandler');
const { validate, idParams } = require('../middleware/validate');
const schemas = require('../validation/venues');

function venueRouter(controller) {
  const router = express.Router();
  router.post('/', validate({ body: schemas.createVenue }), asyncHandler(controller.create));
  router.get('/', validate({ query: schemas.listVenuesQuery }), asyncHandler(controller.list));
  router.get('/:id', validate({ params: idParams }), asyncHandler(controller.get));
  return router;
}

module.exports = { venueRouter };
