'use strict';

const { check } = require('../validation/validator');
const { ValidationError } = require('../errors');

/**
 * Route middleware: validates `req.body`, `req.query` and/or `req.params` against schemas and
 * stores the cleaned values on `req.valid.{body,query,params}`. Responds 400 on the first part
 * that fails, listing every problem in `error.details`.
 */
function validate(schemas) {
  for (const [part, schema] of Object.entries(schemas)) {
    if (!schema || typeof schema !== 'object') {
      throw new Error(`validate(): schema for ${part} is missing`);
    }
  }
  return function validateRequest(req, res, next) {
    req.valid = req.valid || {};
    for (const part of ['params', 'query', 'body']) {
      if (!schemas[part]) continue;
      const input = part === 'body' && req.body === undefined ? {} : req[part];
      const { value, errors } = check(input, schemas[part]);
      if (errors.length > 0) {
        const where = part === 'body' ? 'request body' : `${part === 'query' ? 'query' : 'path'} parameters`;
        return next(new ValidationError(`invalid ${where}`, errors));
      }
      req.valid[part] = value;
    }
    return next();
  };
}

/** Schema for routes with a numeric `:id` path parameter. */
const idParams = {
  id: { type: 'integer', required: true, coerce: true, min: 1 },
};

module.exports = { validate, idParams };
