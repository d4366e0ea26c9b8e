'use strict';

const express = require('express');
const { asyncHandler } = require('../middleware/asyncHandler');
const { validate, idParams } = require('../middleware/validate');
const schemas = require('../validation/events');

function eventRouter(controller) {
  const router = express.Router();
  router.post('/', validate({ body: schemas.createEvent }), asyncHandler(controller.create));
  router.get('/', validate({ query: schemas.listEventsQuery }), asyncHandler(controller.list));
  router.get('/:id', validate({ params: idParams }), asyncHandler(controller.get));
  router.patch('/:id', validate({ params: idParams, body: schemas.updateEvent }),
    asyncHandler(controller.update));
  router.post('/:id/publish', validate({ params: idParams }), asyncHandler(controller.publish));
  router.post('/:id/cancel', validate({ params: idParams }), asyncHandler(controller.cancel));
  return router;
}

module.exports = { eventRouter };
