# frozen_string_literal: true

module RoomBook
  # Base class of the errors that map to an HTTP response: status, machine-readable code,
  # human-readable message and optional per-field details.
  class ApiError < StandardError
    attr_reader :details

    def initialize(message = nil, details: nil)
      super(message || self.class.default_message)
      @details = details
    end

    def self.status = 500
    def self.code = "internal_error"
    def self.default_message = "unexpected server error"

    def status = self.class.status
    def code = self.class.code

    def to_h
      body = { error: code, message: message }
      body[:details] = details if details && !details.empty?
      body
    end
  end

  class BadRequest < ApiError
    def self.status = 400
    def self.code = "bad_request"
    def self.default_message = "malformed request"
  end

  class NotFound < ApiError
    def self.status = 404
    def self.code = "not_found"
    def self.default_message = "resource not found"
  end

  class Conflict < ApiError
    def self.status = 409
    def self.code = "conflict"
    def self.default_message = "the request conflicts with the current state"
  end

  class ValidationError < ApiError
    def self.status = 422
    def self.code = "validation_failed"
    def self.default_message = "the request did not pass validation"
  end

  class NotImplementedYet < ApiError
    def self.status = 501
    def self.code = "not_implemented"
    def self.default_message = "this endpoint is not implemented yet"
  end
end
