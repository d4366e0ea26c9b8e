'use strict';

// TODO: request schemas of the booking and check-in endpoints
// (see validation/validator.js for the rule format and models/constants.js for the statuses).

module.exports = {};
