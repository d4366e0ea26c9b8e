# frozen_string_literal: true

module Ledger
  module Middleware
    # Renders ApiError as its JSON body and status, and any other exception as a logged 500,
    # so clients always get JSON.
    class JsonErrors
      def initialize(app, logger: $stderr)
        @app = app
        @logger = logger
      end

      def call(env)
        @app.call(env)
      rescue ApiError => e
        Http.json(e.status, e.to_h)
      rescue StandardError => e
        @logger.puts("#{e.class}: #{e.message}\n  #{Array(e.backtrace).first(8).join("\n  ")}")
        Http.json(500, { error: "internal_error", message: "unexpected server error" })
      end
    end
  end
end
