'use strict';

const EVENT_STATUSES = Object.freeze(['draft', 'on_sale', 'cancelled']);
const BOOKING_STATUSES = Object.freeze(['confirmed', 'cancelled']);

// UTC timestamps with second precision, e.g. 2025-06-01T19:30:00Z
const DATETIME_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\dZ$/;

function isValidDatetime(value) {
  if (typeof value !== 'string' || !DATETIME_PATTERN.test(value)) return false;
  const parsed = new Date(value);
  // rejects dates such as 2025-02-30 that Date would roll over
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 19) === value.slice(0, 19);
}

module.exports = { EVENT_STATUSES, BOOKING_STATUSES, DATETIME_PATTERN, isValidDatetime };
