'use strict';

const express = require('express');
const { asyncHandler } = require('../middleware/asyncHandler');

// TODO: validate path parameters, query strings and bodies (see middleware/validate.js and
// validation/events.js) before the controller runs.
function eventRouter(controller) {
  const router = express.Router();
  router.post('/', asyncHandler(controller.create));
  router.get('/', asyncHandler(controller.list));
  router.get('/:id', asyncHandler(controller.get));
  router.patch('/:id', asyncHandler(controller.update));
  router.post('/:id/publish', asyncHandler(controller.publish));
  router.post('/:id/cancel', asyncHandler(controller.cancel));
  return router;
}

module.exports = { eventRouter };
