'use strict';

function intFromEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number.parseInt(raw, 10);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function loadConfig() {
  return {
    port: intFromEnv('PORT', 3000),
    host: process.env.HOST || '0.0.0.0',
    // JSON file holding all data; empty means memory only (lost on restart)
    dataFile: process.env.BOXOFFICE_DATA_FILE || '',
    maxTicketsPerCustomer: intFromEnv('BOXOFFICE_MAX_TICKETS_PER_CUSTOMER', 6),
    requestLog: process.env.BOXOFFICE_REQUEST_LOG !== 'off',
  };
}

module.exports = { loadConfig };
