'use strict';

// TODO: request schemas of the event endpoints (see validation/validator.js for the rule format;
// models/constants.js has EVENT_STATUSES and isValidDatetime).

module.exports = {};
