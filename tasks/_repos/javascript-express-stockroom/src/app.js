'use strict';

const express = require('express');
const morgan = require('morgan');

const { ProductRepository } = require('./repositories/productRepository');
const { MovementRepository } = require('./repositories/movementRepository');
const { OrderRepository } = require('./repositories/orderRepository');
const { ProductService } = require('./services/productService');
const { InventoryService } = require('./services/inventoryService');
const { OrderService } = require('./services/orderService');
const { productController } = require('./controllers/productController');
const { inventoryController } = require('./controllers/inventoryController');
const { orderController } = require('./controllers/orderController');
const { healthController } = require('./controllers/healthController');
const { apiRouter } = require('./routes');
const { notFound, errorHandler } = require('./middleware/errorHandler');

/** Wires repositories -> services -> controllers -> routes around one database. */
function createApp({ db, config }) {
  const products = new ProductRepository(db);
  const movements = new MovementRepository(db);
  const orders = new OrderRepository(db);

  const productService = new ProductService({ db, products });
  const inventoryService = new InventoryService({ db, products, movements });
  const orderService = new OrderService({ db, orders, products, movements });

  const controllers = {
    health: healthController({ db, startedAt: Date.now() }),
    products: productController({ productService }),
    inventory: inventoryController({ inventoryService }),
    orders: orderController({ orderService }),
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  if (config.requestLog) app.use(morgan('tiny'));
  app.use(express.json({ limit: '256kb' }));
  app.use(apiRouter({ controllers, config }));
  app.use(notFound);
  app.use(errorHandler);
  return app;
}

module.exports = { createApp };
