'use strict';

const createVenue = {
  name: { type: 'string', required: true, minLength: 1, maxLength: 120 },
  city: { type: 'string', required: true, minLength: 1, maxLength: 80 },
  capacity: { type: 'integer', required: true, min: 1, max: 100000 },
};

const listVenuesQuery = {
  city: { type: 'string', maxLength: 80 },
};

module.exports = { createVenue, listVenuesQuery };
