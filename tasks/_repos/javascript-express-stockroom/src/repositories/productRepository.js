'use strict';

const COLUMNS = `id, sku, name, description, unit_price_cents, reorder_level, active,
  quantity_on_hand, quantity_reserved, created_at, updated_at`;

const UPDATABLE = ['name', 'description', 'unit_price_cents', 'reorder_level', 'active',
  'quantity_on_hand', 'quantity_reserved'];

class ProductRepository {
  constructor(db) {
    this.db = db;
  }

  async findById(id, db = this.db) {
    return db.get(`SELECT ${COLUMNS} FROM products WHERE id = ?`, [id]);
  }

  async findBySku(sku, db = this.db) {
    return db.get(`SELECT ${COLUMNS} FROM products WHERE sku = ?`, [sku]);
  }

  /** Filters: search (substring of sku or name, case-insensitive), active (boolean). */
  async search({ search, active, limit, offset }, db = this.db) {
    const where = [];
    const params = [];
    if (search) {
      where.push("(LOWER(sku) LIKE ? ESCAPE '\\' OR LOWER(name) LIKE ? ESCAPE '\\')");
      const like = `%${search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      params.push(like, like);
    }
    if (active !== undefined) {
      where.push('active = ?');
      params.push(active ? 1 : 0);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const { total } = await db.get(`SELECT COUNT(*) AS total FROM products ${clause}`, params);
    const rows = await db.all(
      `SELECT ${COLUMNS} FROM products ${clause} ORDER BY sku ASC LIMIT ? OFFSET ?`,
      [...params, limit, offset],
    );
    return { rows, total };
  }

  /** Active products whose available quantity is at or below their (non-zero) reorder level. */
  async findLowStock(db = this.db) {
    return db.all(
      `SELECT ${COLUMNS} FROM products
        WHERE active = 1 AND reorder_level > 0
          AND quantity_on_hand - quantity_reserved <= reorder_level
        ORDER BY (reorder_level - (quantity_on_hand - quantity_reserved)) DESC, sku ASC`,
    );
  }

  async insert(product, db = this.db) {
    const now = new Date().toISOString();
    const { lastID } = await db.run(
      `INSERT INTO products (sku, name, description, unit_price_cents, reorder_level, active,
         quantity_on_hand, quantity_reserved, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 0, 0, ?, ?)`,
      [product.sku, product.name, product.description, product.unit_price_cents,
        product.reorder_level, product.active ? 1 : 0, now, now],
    );
    return this.findById(lastID, db);
  }

  /** Updates the given columns (see UPDATABLE) and bumps updated_at. */
  async update(id, changes, db = this.db) {
    const sets = [];
    const params = [];
    for (const [key, value] of Object.entries(changes)) {
      if (!UPDATABLE.includes(key)) throw new Error(`column ${key} is not updatable`);
      sets.push(`${key} = ?`);
      params.push(typeof value === 'boolean' ? Number(value) : value);
    }
    sets.push('updated_at = ?');
    params.push(new Date().toISOString(), id);
    await db.run(`UPDATE products SET ${sets.join(', ')} WHERE id = ?`, params);
    return this.findById(id, db);
  }

  async delete(id, db = this.db) {
    const { changes } = await db.run('DELETE FROM products WHERE id = ?', [id]);
    return changes > 0;
  }

  async countOrderLines(id, db = this.db) {
    const row = await db.get('SELECT COUNT(*) AS n FROM order_lines WHERE product_id = ?', [id]);
    return row.n;
  }
}

module.exports = { ProductRepository };
