'use strict';

/** Row -> JSON shapes returned by the API. */

function productToJson(row) {
  return {
    id: row.id,
    sku: row.sku,
    name: row.name,
    description: row.description,
    unit_price_cents: row.unit_price_cents,
    reorder_level: row.reorder_level,
    active: row.active === 1 || row.active === true,
    quantity_on_hand: row.quantity_on_hand,
    quantity_reserved: row.quantity_reserved,
    quantity_available: row.quantity_on_hand - row.quantity_reserved,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

function movementToJson(row) {
  return {
    id: row.id,
    product_id: row.product_id,
    type: row.type,
    delta: row.delta,
    quantity_after: row.quantity_after,
    note: row.note,
    reference: row.reference === undefined ? null : row.reference,
    created_at: row.created_at,
  };
}

function orderLineToJson(row) {
  return {
    product_id: row.product_id,
    sku: row.sku,
    name: row.name,
    quantity: row.quantity,
    unit_price_cents: row.unit_price_cents,
    line_total_cents: row.quantity * row.unit_price_cents,
  };
}

function orderToJson(order, lines) {
  return {
    id: order.id,
    customer_name: order.customer_name,
    customer_email: order.customer_email,
    status: order.status,
    total_cents: order.total_cents,
    lines: lines.map(orderLineToJson),
    created_at: order.created_at,
    updated_at: order.updated_at,
  };
}

module.exports = { productToJson, movementToJson, orderLineToJson, orderToJson };
