module Helpdesk
  # Errors with an HTTP meaning, rendered by ApplicationController as
  # {"error": code, "message": message, "details": details}.
  class ApiError < StandardError
    attr_reader :status, :code, :details

    def initialize(status, code, message, details = nil)
      super(message)
      @status = status
      @code = code
      @details = details
    end
  end

  class BadRequest < ApiError
    def initialize(message = "request body must be a JSON object")
      super(:bad_request, "bad_request", message)
    end
  end

  class Conflict < ApiError
    def initialize(message, code: "conflict", details: nil)
      super(:conflict, code, message, details)
    end
  end

  class InvalidInput < ApiError
    def initialize(details, message: "the request did not pass validation")
      super(:unprocessable_entity, "validation_failed", message, details)
    end
  end

  class NotImplementedYet < ApiError
    def initialize(message = "this endpoint is not implemented yet")
      super(:not_implemented, "not_implemented", message)
    end
  end
end
