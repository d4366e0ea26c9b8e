# frozen_string_literal: true

module Ledger
  # Helpers shared by the handlers: JSON responses, body parsing, path ids.
  module Http
    JSON_HEADERS = { "content-type" => "application/json" }.freeze

    module_function

    def json(status, payload)
      [status, JSON_HEADERS.dup, [JSON.generate(payload)]]
    end

    def no_content
      [204, {}, []]
    end

    # The request body as a JSON object (Hash); BadRequest otherwise.
    def json_body(request)
      raw = request.body&.read.to_s
      raise BadRequest, "request body must be a JSON object" if raw.strip.empty?

      data = JSON.parse(raw)
      raise BadRequest, "request body must be a JSON object" unless data.is_a?(Hash)

      data
    rescue JSON::ParserError
      raise BadRequest, "request body is not valid JSON"
    end

    # A numeric path id; anything else cannot name a resource, so it is a 404.
    def id(params, name = "id", what: "resource")
      raw = params.fetch(name)
      raise NotFound, "#{what} #{raw} not found" unless /\A[1-9]\d{0,17}\z/.match?(raw)

      raw.to_i
    end
  end
end
