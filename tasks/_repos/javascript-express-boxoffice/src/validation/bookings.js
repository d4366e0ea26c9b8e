'use strict';

const { BOOKING_STATUSES } = require('../models/constants');

const createBooking = {
  customer_email: { type: 'email', required: true, maxLength: 254 },
  quantity: { type: 'integer', required: true, min: 1, max: 10 },
};

const listBookingsQuery = {
  status: { type: 'string', enum: BOOKING_STATUSES },
};

const checkIn = {
  code: { type: 'string', required: true, minLength: 1, maxLength: 64 },
};

module.exports = { createBooking, listBookingsQuery, checkIn };
