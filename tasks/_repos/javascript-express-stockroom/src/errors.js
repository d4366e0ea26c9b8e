'use strict';

/**
 * Application errors. Services throw these; the error-handling middleware turns them into
 * `{"error": {"code", "message", "details"?}}` responses with the matching HTTP status.
 */
class AppError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.name = this.constructor.name;
    this.status = status;
    this.code = code;
    if (details !== undefined) this.details = details;
  }
}

class ValidationError extends AppError {
  constructor(message, details) {
    super(400, 'validation_failed', message, details);
  }
}

class NotFoundError extends AppError {
  constructor(message) {
    super(404, 'not_found', message);
  }
}

class ConflictError extends AppError {
  constructor(code, message, details) {
    super(409, code, message, details);
  }
}

class BusinessRuleError extends AppError {
  constructor(code, message, details) {
    super(422, code, message, details);
  }
}

class NotImplementedError extends AppError {
  constructor(what) {
    super(501, 'not_implemented', `${what} is not implemented`);
  }
}

module.exports = {
  AppError,
  ValidationError,
  NotFoundError,
  ConflictError,
  BusinessRuleError,
  NotImplementedError,
};
