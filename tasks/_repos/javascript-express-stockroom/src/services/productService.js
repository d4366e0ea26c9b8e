'use strict';

const { productToJson } = require('../models/serializers');
const { NotFoundError, ConflictError } = require('../errors');

class ProductService {
  constructor({ db, products }) {
    this.db = db;
    this.products = products;
  }

  async create(input) {
    return this.db.transaction(async (tx) => {
      if (await this.products.findBySku(input.sku, tx)) {
        throw new ConflictError('duplicate_sku', `a product with sku ${input.sku} already exists`);
      }
      const row = await this.products.insert({
        sku: input.sku,
        name: input.name,
        description: input.description,
        unit_price_cents: input.unit_price_cents,
        reorder_level: input.reorder_level,
        active: input.active,
      }, tx);
      return productToJson(row);
    });
  }

  async list({ search, active, limit, offset }) {
    const { rows, total } = await this.products.search({ search, active, limit, offset });
    return { items: rows.map(productToJson), total, limit, offset };
  }

  async get(id) {
    const row = await this.products.findById(id);
    if (!row) throw new NotFoundError(`product ${id} not found`);
    return productToJson(row);
  }

  async update(id, changes) {
    return this.db.transaction(async (tx) => {
      const row = await this.products.findById(id, tx);
      if (!row) throw new NotFoundError(`product ${id} not found`);
      if (Object.keys(changes).length === 0) return productToJson(row);
      return productToJson(await this.products.update(id, changes, tx));
    });
  }

  async remove(id) {
    return this.db.transaction(async (tx) => {
      const row = await this.products.findById(id, tx);
      if (!row) throw new NotFoundError(`product ${id} not found`);
      if (await this.products.countOrderLines(id, tx) > 0) {
        throw new ConflictError('product_in_use',
          `product ${id} appears on orders and cannot be deleted; deactivate it instead`);
      }
      await this.products.delete(id, tx);
    });
  }
}

module.exports = { ProductService };
