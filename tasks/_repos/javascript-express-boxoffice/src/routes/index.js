'use strict';

const express = require('express');
const { asyncHandler } = require('../middleware/asyncHandler');
const { venueRouter } = require('./venues');
const { eventRouter } = require('./events');
const { bookingRouter } = require('./bookings');

function apiRouter({ controllers }) {
  const router = express.Router();
  router.get('/health', asyncHandler(controllers.health.health));
  router.use('/venues', venueRouter(controllers.venues));
  // booking routes first: they own /events/:id/bookings and /events/:id/sales
  router.use('/', bookingRouter(controllers.bookings));
  router.use('/events', eventRouter(controllers.events));
  return router;
}

module.exports = { apiRouter };
