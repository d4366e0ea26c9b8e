'use strict';

function productController({ productService }) {
  return {
    async create(req, res) {
      const product = await productService.create(req.valid.body);
      res.status(201).location(`/products/${product.id}`).json(product);
    },

    async list(req, res) {
      res.json(await productService.list(req.valid.query));
    },

    async get(req, res) {
      res.json(await productService.get(req.valid.params.id));
    },

    async update(req, res) {
      res.json(await productService.update(req.valid.params.id, req.valid.body));
    },

    async remove(req, res) {
      await productService.remove(req.valid.params.id);
      res.status(204).end();
    },
  };
}

module.exports = { productController };
