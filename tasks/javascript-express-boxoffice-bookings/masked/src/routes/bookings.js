'use strict';

const express = require('express');
const { asyncHandler } = require('../middleware/asyncHandler');

/** Bookings of an event, single bookings, door check-in and the sales summary. */
// TODO: validate path parameters, query strings and bodies (see middleware/validate.js and
// validation/bookings.js) before the controller runs.
function bookingRouter(controller) {
  const router = express.Router();
  router.post('/events/:id/bookings', asyncHandler(controller.create));
  router.get('/events/:id/bookings', asyncHandler(controller.listForEvent));
  router.get('/events/:id/sales', asyncHandler(controller.sales));
  router.get('/bookings/:id', asyncHandler(controller.get));
  router.post('/bookings/:id/cancel', asyncHandler(controller.cancel));
  router.post('/check-ins', asyncHandler(controller.checkIn));
  return router;
}

module.exports = { bookingRouter };
