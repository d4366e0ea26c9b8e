'use strict';

const { EVENT_STATUSES, isValidDatetime } = require('../models/constants');

const datetime = {
  type: 'string',
  test: isValidDatetime,
  testMessage: 'must be a UTC timestamp like 2025-06-01T19:30:00Z',
};

const createEvent = {
  venue_id: { type: 'integer', required: true, min: 1 },
  title: { type: 'string', required: true, minLength: 1, maxLength: 200 },
  starts_at: { ...datetime, required: true },
  price_cents: { type: 'integer', required: true, min: 0, max: 10000000 },
  capacity: { type: 'integer', min: 1, max: 100000 },
};

const updateEvent = {
  title: { type: 'string', minLength: 1, maxLength: 200 },
  starts_at: datetime,
  price_cents: { type: 'integer', min: 0, max: 10000000 },
  capacity: { type: 'integer', min: 1, max: 100000 },
};

const listEventsQuery = {
  status: { type: 'string', enum: EVENT_STATUSES },
  venue_id: { type: 'integer', coerce: true, min: 1 },
  from: datetime,
  to: datetime,
};

module.exports = { createEvent, updateEvent, listEventsQuery };
