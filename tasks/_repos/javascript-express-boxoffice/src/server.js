'use strict';

const { loadConfig } = require('./config');
const { JsonStore } = require('./store/jsonStore');
const { createApp } = require('./app');

async function main() {
  const config = loadConfig();
  const store = await JsonStore.open(config.dataFile);

  const app = createApp({ store, config });
  const server = app.listen(config.port, config.host, () => {
    console.log(`boxoffice listening on http://${config.host}:${config.port} (data: ${config.dataFile || 'memory'})`);
  });

  const shutdown = (signal) => {
    console.log(`${signal} received, shutting down`);
    server.close(() => {
      store.close().finally(() => process.exit(0));
    });
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  console.error('failed to start boxoffice:', err);
  process.exit(1);
});
