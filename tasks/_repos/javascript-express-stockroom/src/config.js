'use strict';

function intFromEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number.parseInt(raw, 10);
  if (!Number.isInteger(value)) {
    throw new Error(`${name} must be an integer, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function loadConfig() {
  return {
    port: intFromEnv('PORT', 3000),
    host: process.env.HOST || '0.0.0.0',
    databasePath: process.env.STOCKROOM_DB || ':memory:',
    requestLog: process.env.STOCKROOM_REQUEST_LOG !== 'off',
    maxOrderLines: intFromEnv('STOCKROOM_MAX_ORDER_LINES', 50),
  };
}

module.exports = { loadConfig };
