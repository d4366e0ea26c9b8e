'use strict';

const ORDER_STATUSES = Object.freeze(['pending', 'shipped', 'cancelled']);
const ADJUSTMENT_TYPES = Object.freeze(['receipt', 'shrinkage', 'correction']);
const MOVEMENT_TYPES = Object.freeze([...ADJUSTMENT_TYPES, 'shipment']);
const SKU_PATTERN = /^[A-Z0-9][A-Z0-9-]{2,31}$/;

module.exports = { ORDER_STATUSES, ADJUSTMENT_TYPES, MOVEMENT_TYPES, SKU_PATTERN };
