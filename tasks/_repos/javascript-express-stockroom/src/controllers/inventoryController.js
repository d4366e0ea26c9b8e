'use strict';

function inventoryController({ inventoryService }) {
  return {
    async adjust(req, res) {
      const result = await inventoryService.adjust(req.valid.params.id, req.valid.body);
      res.status(201).json(result);
    },

    async movements(req, res) {
      res.json(await inventoryService.listMovements(req.valid.params.id, req.valid.query));
    },

    async lowStock(req, res) {
      res.json(await inventoryService.lowStock());
    },
  };
}

module.exports = { inventoryController };
