'use strict';

const { loadConfig } = require('./config');
const { Database } = require('./db/database');
const { migrate } = require('./db/schema');
const { createApp } = require('./app');

async function main() {
  const config = loadConfig();
  const db = await Database.open(config.databasePath);
  await migrate(db);

  const app = createApp({ db, config });
  const server = app.listen(config.port, config.host, () => {
    console.log(`stockroom listening on http://${config.host}:${config.port} (db: ${config.databasePath})`);
  });

  const shutdown = (signal) => {
    console.log(`${signal} received, shutting down`);
    server.close(() => {
      db.close().finally(() => process.exit(0));
    });
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  console.error('failed to start stockroom:', err);
  process.exit(1);
});
