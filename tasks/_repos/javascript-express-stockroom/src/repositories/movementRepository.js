'use strict';

const COLUMNS = 'id, product_id, type, delta, quantity_after, note, reference, created_at';

class MovementRepository {
  constructor(db) {
    this.db = db;
  }

  async insert({ productId, type, delta, quantityAfter, note = '', reference = null }, db = this.db) {
    const { lastID } = await db.run(
      `INSERT INTO stock_movements (product_id, type, delta, quantity_after, note, reference, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [productId, type, delta, quantityAfter, note, reference, new Date().toISOString()],
    );
    return db.get(`SELECT ${COLUMNS} FROM stock_movements WHERE id = ?`, [lastID]);
  }

  async listForProduct(productId, { type } = {}, db = this.db) {
    const params = [productId];
    let sql = `SELECT ${COLUMNS} FROM stock_movements WHERE product_id = ?`;
    if (type) {
      sql += ' AND type = ?';
      params.push(type);
    }
    return db.all(`${sql} ORDER BY id ASC`, params);
  }
}

module.exports = { MovementRepository };
