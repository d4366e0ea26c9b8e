'use strict';

// TODO: request schemas of the stock adjustment and movement endpoints
// (see validation/validator.js for the rule format and models/constants.js for the types).

module.exports = {};
