'use strict';

const { ADJUSTMENT_TYPES, MOVEMENT_TYPES } = require('../models/constants');

const createAdjustment = {
  type: { type: 'string', required: true, enum: ADJUSTMENT_TYPES },
  quantity: { type: 'integer', required: true, min: 0, max: 1000000 },
  note: { type: 'string', maxLength: 500, default: '' },
};

const listMovementsQuery = {
  type: { type: 'string', enum: MOVEMENT_TYPES },
};

module.exports = { createAdjustment, listMovementsQuery };
