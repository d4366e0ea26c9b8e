'use strict';

function orderController({ orderService }) {
  return {
    async create(req, res) {
      const order = await orderService.create(req.valid.body);
      res.status(201).location(`/orders/${order.id}`).json(order);
    },

    async list(req, res) {
      res.json(await orderService.list(req.valid.query));
    },

    async get(req, res) {
      res.json(await orderService.get(req.valid.params.id));
    },

    async ship(req, res) {
      res.json(await orderService.ship(req.valid.params.id));
    },

    async cancel(req, res) {
      res.json(await orderService.cancel(req.valid.params.id));
    },
  };
}

module.exports = { orderController };
