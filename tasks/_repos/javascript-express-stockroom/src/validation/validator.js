'use strict';

/**
 * A small declarative validator for JSON bodies and query strings.
 *
 * A schema maps field names to rules:
 *   { type: 'string' | 'integer' | 'boolean' | 'email' | 'array' | 'object',
 *     required, nullable, min, max, minLength, maxLength, pattern, enum,
 *     items (rule for array elements), fields (schema for nested objects), minItems, maxItems,
 *     coerce (query strings: parse "12" as 12, "true" as true), trim (strings) }
 *
 * `check(value, schema)` returns `{ value, errors }`: the cleaned object (defaults applied,
 * strings trimmed) and a list of `{ field, message }`. Unknown fields are errors.
 */

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function isPlainObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function checkValue(value, rule, field, errors) {
  let v = value;
  if (rule.coerce && typeof v === 'string') {
    if (rule.type === 'integer' && /^-?\d+$/.test(v)) v = Number(v);
    else if (rule.type === 'boolean' && (v === 'true' || v === 'false')) v = v === 'true';
  }

  switch (rule.type) {
    case 'string':
    case 'email': {
      if (typeof v !== 'string') {
        errors.push({ field, message: 'must be a string' });
        return undefined;
      }
      if (rule.trim !== false) v = v.trim();
      if (rule.minLength !== undefined && v.length < rule.minLength) {
        errors.push({ field, message: `must be at least ${rule.minLength} characters` });
      }
      if (rule.maxLength !== undefined && v.length > rule.maxLength) {
        errors.push({ field, message: `must be at most ${rule.maxLength} characters` });
      }
      if (rule.type === 'email') {
        if (!EMAIL.test(v)) errors.push({ field, message: 'must be an email address' });
        v = v.toLowerCase();
      }
      if (rule.pattern && !rule.pattern.test(v)) {
        errors.push({ field, message: rule.patternMessage || `must match ${rule.pattern}` });
      }
      break;
    }
    case 'integer':
      if (typeof v !== 'number' || !Number.isInteger(v)) {
        errors.push({ field, message: 'must be an integer' });
        return undefined;
      }
      if (rule.min !== undefined && v < rule.min) {
        errors.push({ field, message: `must be >= ${rule.min}` });
      }
      if (rule.max !== undefined && v > rule.max) {
        errors.push({ field, message: `must be <= ${rule.max}` });
      }
      break;
    case 'boolean':
      if (typeof v !== 'boolean') {
        errors.push({ field, message: 'must be a boolean' });
        return undefined;
      }
      break;
    case 'array':
      if (!Array.isArray(v)) {
        errors.push({ field, message: 'must be an array' });
        return undefined;
      }
      if (rule.minItems !== undefined && v.length < rule.minItems) {
        errors.push({ field, message: `must have at least ${rule.minItems} item(s)` });
      }
      if (rule.maxItems !== undefined && v.length > rule.maxItems) {
        errors.push({ field, message: `must have at most ${rule.maxItems} items` });
      }
      if (rule.items) {
        v = v.map((item, i) => checkValue(item, rule.items, `${field}[${i}]`, errors));
      }
      break;
    case 'object': {
      if (!isPlainObject(v)) {
        errors.push({ field, message: 'must be an object' });
        return undefined;
      }
      if (rule.fields) v = checkFields(v, rule.fields, `${field}.`, errors);
      break;
    }
    default:
      throw new Error(`unknown rule type ${rule.type} for ${field}`);
  }

  if (rule.enum && !rule.enum.includes(v)) {
    errors.push({ field, message: `must be one of: ${rule.enum.join(', ')}` });
  }
  return v;
}

function checkFields(input, schema, prefix, errors) {
  const out = {};
  for (const key of Object.keys(input)) {
    if (!Object.prototype.hasOwnProperty.call(schema, key)) {
      errors.push({ field: `${prefix}${key}`, message: 'is not an allowed field' });
    }
  }
  for (const [key, rule] of Object.entries(schema)) {
    const field = `${prefix}${key}`;
    const present = Object.prototype.hasOwnProperty.call(input, key) && input[key] !== undefined;
    if (!present) {
      if (rule.required) errors.push({ field, message: 'is required' });
      else if (rule.default !== undefined) out[key] = rule.default;
      continue;
    }
    if (input[key] === null) {
      if (rule.nullable) out[key] = null;
      else errors.push({ field, message: 'must not be null' });
      continue;
    }
    out[key] = checkValue(input[key], rule, field, errors);
  }
  return out;
}

function check(input, schema) {
  const errors = [];
  if (!isPlainObject(input)) {
    return { value: undefined, errors: [{ field: '', message: 'must be a JSON object' }] };
  }
  const value = checkFields(input, schema, '', errors);
  return { value, errors };
}

module.exports = { check, isPlainObject };
