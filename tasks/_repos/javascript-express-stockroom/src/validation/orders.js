'use strict';

const { ORDER_STATUSES } = require('../models/constants');

function orderSchemas({ maxOrderLines }) {
  return {
    createOrder: {
      customer_name: { type: 'string', required: true, minLength: 1, maxLength: 120 },
      customer_email: { type: 'email', required: true, maxLength: 254 },
      lines: {
        type: 'array',
        required: true,
        minItems: 1,
        maxItems: maxOrderLines,
        items: {
          type: 'object',
          fields: {
            product_id: { type: 'integer', required: true, min: 1 },
            quantity: { type: 'integer', required: true, min: 1, max: 1000 },
          },
        },
      },
    },
    listOrdersQuery: {
      status: { type: 'string', enum: ORDER_STATUSES },
      customer_email: { type: 'email', maxLength: 254 },
    },
  };
}

module.exports = { orderSchemas };
