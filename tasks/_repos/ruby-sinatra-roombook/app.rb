# frozen_string_literal: true

require "sinatra/base"
require "json"

require_relative "lib/roombook/errors"
require_relative "lib/roombook/database"
require_relative "lib/roombook/validation"
require_relative "lib/roombook/time_slot"
require_relative "lib/roombook/models/room"
require_relative "lib/roombook/models/booking"
require_relative "lib/roombook/repositories/room_repository"
require_relative "lib/roombook/repositories/booking_repository"
require_relative "lib/roombook/services/booking_service"
require_relative "lib/roombook/routes/health"
require_relative "lib/roombook/routes/rooms"
require_relative "lib/roombook/routes/bookings"

module RoomBook
  # The HTTP application: wiring, shared helpers and error mapping. Endpoints live in
  # lib/roombook/routes/*.rb and are registered as Sinatra extensions.
  class App < Sinatra::Base
    configure do
      set :show_exceptions, false
      set :raise_errors, false
      set :dump_errors, false
      set :host_authorization, { permitted_hosts: [] }
      set :database, Database.new(ENV.fetch("DATABASE_PATH", File.expand_path("db/roombook.sqlite3", __dir__)))
    end

    helpers do
      def rooms
        @rooms ||= RoomRepository.new(settings.database)
      end

      def bookings
        @bookings ||= BookingRepository.new(settings.database)
      end

      def booking_service
        @booking_service ||= BookingService.new(settings.database, rooms, bookings)
      end

      # Parses the request body as a JSON object; raises BadRequest otherwise.
      def json_body
        request.body.rewind if request.body.respond_to?(:rewind)
        raw = request.body.read.to_s
        raise BadRequest, "request body must be a JSON object" if raw.strip.empty?

        data = JSON.parse(raw)
        raise BadRequest, "request body must be a JSON object" unless data.is_a?(Hash)

        data
      rescue JSON::ParserError
        raise BadRequest, "request body is not valid JSON"
      end

      def json(payload, status_code = nil)
        status status_code if status_code
        content_type :json
        JSON.generate(payload)
      end

      def path_id(value)
        Integer(value, 10)
      rescue ArgumentError, TypeError
        raise NotFound, "resource not found"
      end
    end

    before do
      content_type :json
    end

    register Routes::Health
    register Routes::Rooms
    register Routes::Bookings

    error ApiError do
      err = env["sinatra.error"]
      json(err.to_h, err.status)
    end

    not_found do
      json({ error: "not_found", message: "no route for #{request.request_method} #{request.path_info}" }) unless response.body.any?
    end

    error 500 do
      json({ error: "internal_error", message: "unexpected server error" }, 500)
    end
  end
end
