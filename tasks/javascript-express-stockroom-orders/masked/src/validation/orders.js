'use strict';

// TODO: request schemas of the order endpoints (see validation/validator.js for the rule format).
// `config.maxOrderLines` is the most lines one order may have.
function orderSchemas(config) { // eslint-disable-line no-unused-vars
  return {};
}

module.exports = { orderSchemas };
