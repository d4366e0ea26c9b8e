'use strict';

const { productToJson, movementToJson } = require('../models/serializers');
const { NotFoundError, ValidationError, BusinessRuleError } = require('../errors');

class InventoryService {
  constructor({ db, products, movements }) {
    this.db = db;
    this.products = products;
    this.movements = movements;
  }

  /**
   * Records a manual stock adjustment:
   *  - receipt:    goods arrived, on-hand += quantity (quantity >= 1)
   *  - shrinkage:  goods lost or damaged, on-hand -= quantity (quantity >= 1)
   *  - correction: a physical count, on-hand := quantity (quantity >= 0)
   * On-hand may never drop below what open orders have reserved.
   */
  async adjust(productId, { type, quantity, note }) {
    if (type !== 'correction' && quantity < 1) {
      throw new ValidationError('invalid request body', [
        { field: 'quantity', message: `must be >= 1 for a ${type}` },
      ]);
    }
    return this.db.transaction(async (tx) => {
      const product = await this.products.findById(productId, tx);
      if (!product) throw new NotFoundError(`product ${productId} not found`);

      let onHand;
      if (type === 'receipt') onHand = product.quantity_on_hand + quantity;
      else if (type === 'shrinkage') onHand = product.quantity_on_hand - quantity;
      else onHand = quantity;

      if (onHand < product.quantity_reserved) {
        throw new BusinessRuleError('insufficient_unreserved_stock',
          `on-hand quantity of product ${productId} cannot drop below the ${product.quantity_reserved} unit(s) reserved by open orders`,
          { quantity_on_hand: product.quantity_on_hand, quantity_reserved: product.quantity_reserved });
      }

      const updated = await this.products.update(productId, { quantity_on_hand: onHand }, tx);
      const movement = await this.movements.insert({
        productId,
        type,
        delta: onHand - product.quantity_on_hand,
        quantityAfter: onHand,
        note,
      }, tx);
      return { movement: movementToJson(movement), product: productToJson(updated) };
    });
  }

  async listMovements(productId, { type }) {
    const product = await this.products.findById(productId);
    if (!product) throw new NotFoundError(`product ${productId} not found`);
    const rows = await this.movements.listForProduct(productId, { type });
    return { items: rows.map(movementToJson), count: rows.length };
  }

  async lowStock() {
    const rows = await this.products.findLowStock();
    const items = rows.map((row) => {
      const available = row.quantity_on_hand - row.quantity_reserved;
      return {
        product_id: row.id,
        sku: row.sku,
        name: row.name,
        quantity_available: available,
        reorder_level: row.reorder_level,
        shortfall: row.reorder_level - available,
      };
    });
    return { items, count: items.length };
  }
}

module.exports = { InventoryService };
