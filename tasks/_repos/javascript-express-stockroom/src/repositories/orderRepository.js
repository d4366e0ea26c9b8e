'use strict';

const ORDER_COLUMNS = 'id, customer_name, customer_email, status, total_cents, created_at, updated_at';

class OrderRepository {
  constructor(db) {
    this.db = db;
  }

  async findById(id, db = this.db) {
    return db.get(`SELECT ${ORDER_COLUMNS} FROM orders WHERE id = ?`, [id]);
  }

  /** Lines of one order in the order they were placed, joined with the product's sku and name. */
  async findLines(orderId, db = this.db) {
    return db.all(
      `SELECT l.id, l.order_id, l.product_id, l.quantity, l.unit_price_cents, p.sku, p.name
         FROM order_lines l JOIN products p ON p.id = l.product_id
        WHERE l.order_id = ? ORDER BY l.id ASC`,
      [orderId],
    );
  }

  /** Filters: status, customerEmail (exact, already lower-cased). Ordered by id. */
  async list({ status, customerEmail } = {}, db = this.db) {
    const where = [];
    const params = [];
    if (status) {
      where.push('status = ?');
      params.push(status);
    }
    if (customerEmail) {
      where.push('customer_email = ?');
      params.push(customerEmail);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    return db.all(`SELECT ${ORDER_COLUMNS} FROM orders ${clause} ORDER BY id ASC`, params);
  }

  /** Inserts the order and its lines ([{productId, quantity, unitPriceCents}]); returns the id. */
  async insert({ customerName, customerEmail, status, totalCents, lines }, db = this.db) {
    const now = new Date().toISOString();
    const { lastID } = await db.run(
      `INSERT INTO orders (customer_name, customer_email, status, total_cents, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
      [customerName, customerEmail, status, totalCents, now, now],
    );
    for (const line of lines) {
      await db.run(
        'INSERT INTO order_lines (order_id, product_id, quantity, unit_price_cents) VALUES (?, ?, ?, ?)',
        [lastID, line.productId, line.quantity, line.unitPriceCents],
      );
    }
    return lastID;
  }

  async updateStatus(id, status, db = this.db) {
    await db.run('UPDATE orders SET status = ?, updated_at = ? WHERE id = ?',
      [status, new Date().toISOString(), id]);
  }
}

module.exports = { OrderRepository };
