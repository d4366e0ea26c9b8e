'use strict';

/** Wraps an async route handler so that a rejected promise reaches the error middleware. */
function asyncHandler(handler) {
  return function wrapped(req, res, next) {
    Promise.resolve(handler(req, res, next)).catch(next);
  };
}

module.exports = { asyncHandler };
