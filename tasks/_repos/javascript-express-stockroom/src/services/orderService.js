'use strict';

const { orderToJson } = require('../models/serializers');
const {
  NotFoundError, ConflictError, BusinessRuleError, ValidationError,
} = require('../errors');

class OrderService {
  constructor({ db, orders, products, movements }) {
    this.db = db;
    this.orders = orders;
    this.products = products;
    this.movements = movements;
  }

  async load(id, db = this.db) {
    const order = await this.orders.findById(id, db);
    if (!order) throw new NotFoundError(`order ${id} not found`);
    return orderToJson(order, await this.orders.findLines(id, db));
  }

  /**
   * Places an order and reserves its stock. Either every line is reserved or nothing is:
   * the whole check-and-reserve runs in one transaction.
   */
  async create({ customer_name: customerName, customer_email: customerEmail, lines }) {
    const seen = new Set();
    lines.forEach((line, i) => {
      if (seen.has(line.product_id)) {
        throw new ValidationError('invalid request body', [
          { field: `lines[${i}].product_id`, message: 'appears on more than one line' },
        ]);
      }
      seen.add(line.product_id);
    });

    return this.db.transaction(async (tx) => {
      const priced = [];
      for (const line of lines) {
        const product = await this.products.findById(line.product_id, tx);
        if (!product) throw new NotFoundError(`product ${line.product_id} not found`);
        if (!product.active) {
          throw new BusinessRuleError('product_inactive', `product ${product.sku} is not sold any more`);
        }
        const available = product.quantity_on_hand - product.quantity_reserved;
        if (available < line.quantity) {
          throw new ConflictError('insufficient_stock',
            `only ${available} unit(s) of ${product.sku} available`,
            { product_id: product.id, requested: line.quantity, available });
        }
        priced.push({ product, quantity: line.quantity });
      }

      const totalCents = priced.reduce((sum, l) => sum + l.quantity * l.product.unit_price_cents, 0);
      const id = await this.orders.insert({
        customerName,
        customerEmail,
        status: 'pending',
        totalCents,
        lines: priced.map((l) => ({
          productId: l.product.id, quantity: l.quantity, unitPriceCents: l.product.unit_price_cents,
        })),
      }, tx);
      for (const l of priced) {
        await this.products.update(l.product.id,
          { quantity_reserved: l.product.quantity_reserved + l.quantity }, tx);
      }
      return this.load(id, tx);
    });
  }

  async list({ status, customer_email: customerEmail }) {
    const rows = await this.orders.list({ status, customerEmail });
    const items = [];
    for (const row of rows) items.push(orderToJson(row, await this.orders.findLines(row.id)));
    return { items, count: items.length };
  }

  async get(id) {
    return this.load(id);
  }

  /** pending -> shipped: the reserved units leave the warehouse. */
  async ship(id) {
    return this.db.transaction(async (tx) => {
      const order = await this.requirePending(id, 'shipped', tx);
      for (const line of await this.orders.findLines(order.id, tx)) {
        const product = await this.products.findById(line.product_id, tx);
        const onHand = product.quantity_on_hand - line.quantity;
        await this.products.update(product.id, {
          quantity_on_hand: onHand,
          quantity_reserved: product.quantity_reserved - line.quantity,
        }, tx);
        await this.movements.insert({
          productId: product.id,
          type: 'shipment',
          delta: -line.quantity,
          quantityAfter: onHand,
          reference: `order:${order.id}`,
        }, tx);
      }
      await this.orders.updateStatus(order.id, 'shipped', tx);
      return this.load(order.id, tx);
    });
  }

  /** pending -> cancelled: the reservation is released. */
  async cancel(id) {
    return this.db.transaction(async (tx) => {
      const order = await this.requirePending(id, 'cancelled', tx);
      for (const line of await this.orders.findLines(order.id, tx)) {
        const product = await this.products.findById(line.product_id, tx);
        await this.products.update(product.id,
          { quantity_reserved: product.quantity_reserved - line.quantity }, tx);
      }
      await this.orders.updateStatus(order.id, 'cancelled', tx);
      return this.load(order.id, tx);
    });
  }

  async requirePending(id, target, tx) {
    const order = await this.orders.findById(id, tx);
    if (!order) throw new NotFoundError(`order ${id} not found`);
    if (order.status !== 'pending') {
      throw new ConflictError('invalid_order_state',
        `order ${id} is ${order.status} and cannot be ${target}`);
    }
    return order;
  }
}

module.exports = { OrderService };
