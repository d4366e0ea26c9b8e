'use strict';

const { AppError } = require('../errors');

function notFound(req, res) {
  res.status(404).json({
    error: { code: 'route_not_found', message: `no route for ${req.method} ${req.path}` },
  });
}

// eslint-disable-next-line no-unused-vars
function errorHandler(err, req, res, next) {
  if (err instanceof AppError) {
    const body = { code: err.code, message: err.message };
    if (err.details !== undefined) body.details = err.details;
    return res.status(err.status).json({ error: body });
  }
  // body-parser failures (malformed JSON, wrong charset, too large)
  if (err && err.type === 'entity.parse.failed') {
    return res.status(400).json({ error: { code: 'invalid_json', message: 'request body is not valid JSON' } });
  }
  if (err && err.type === 'entity.too.large') {
    return res.status(413).json({ error: { code: 'payload_too_large', message: 'request body is too large' } });
  }
  if (err && Number.isInteger(err.status) && err.status >= 400 && err.status < 500) {
    return res.status(err.status).json({ error: { code: 'bad_request', message: err.message } });
  }
  console.error('unhandled error', err);
  return res.status(500).json({ error: { code: 'internal_error', message: 'internal server error' } });
}

module.exports = { notFound, errorHandler };
