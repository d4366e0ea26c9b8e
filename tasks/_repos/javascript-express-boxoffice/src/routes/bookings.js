'use strict';

const express = require('express');
const { asyncHandler } = require('../middleware/asyncHandler');
const { validate, idParams } = require('../middleware/validate');
const schemas = require('../validation/bookings');

/** Bookings of an event, single bookings, door check-in and the sales summary. */
function bookingRouter(controller) {
  const router = express.Router();
  router.post('/events/:id/bookings', validate({ params: idParams, body: schemas.createBooking }),
    asyncHandler(controller.create));
  router.get('/events/:id/bookings', validate({ params: idParams, query: schemas.listBookingsQuery }),
    asyncHandler(controller.listForEvent));
  router.get('/events/:id/sales', validate({ params: idParams }), asyncHandler(controller.sales));
  router.get('/bookings/:id', validate({ params: idParams }), asyncHandler(controller.get));
  router.post('/bookings/:id/cancel', validate({ params: idParams }), asyncHandler(controller.cancel));
  router.post('/check-ins', validate({ body: schemas.checkIn }), asyncHandler(controller.checkIn));
  return router;
}

module.exports = { bookingRouter };
