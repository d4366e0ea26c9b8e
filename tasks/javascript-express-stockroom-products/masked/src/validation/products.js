'use strict';

// TODO: request schemas of the product endpoints (see validation/validator.js for the rule
// format; models/constants.js has SKU_PATTERN).

module.exports = {};
