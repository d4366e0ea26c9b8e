# frozen_string_literal: true

module Ledger
  # Errors that become HTTP responses: `status`, a machine-readable `code`, a message and
  # optional details. Raised anywhere below the router; rendered by Middleware::JsonErrors.
  class ApiError < StandardError
    attr_reader :status, :code, :details

    def initialize(status, code, message, details = nil)
      super(message)
      @status = status
      @code = code
      @details = details
    end

    def to_h
      body = { error: code, message: message }
      body[:details] = details if details && !details.empty?
      body
    end
  end

  class BadRequest < ApiError
    def initialize(message = "malformed request")
      super(400, "bad_request", message)
    end
  end

  class NotFound < ApiError
    def initialize(message = "resource not found")
      super(404, "not_found", message)
    end
  end

  class MethodNotAllowed < ApiError
    def initialize(allowed)
      super(405, "method_not_allowed", "allowed methods: #{allowed.join(', ')}")
    end
  end

  class Conflict < ApiError
    def initialize(message, code: "conflict", details: nil)
      super(409, code, message, details)
    end
  end

  class ValidationError < ApiError
    def initialize(details, message: "the request did not pass validation")
      super(422, "validation_failed", message, details)
    end
  end

  # A well-formed request that breaks a business rule (e.g. not enough funds).
  class RuleViolation < ApiError
    def initialize(code, message, details = nil)
      super(422, code, message, details)
    end
  end

  class NotImplementedYet < ApiError
    def initialize(message = "this endpoint is not implemented yet")
      super(501, "not_implemented", message)
    end
  end
end
