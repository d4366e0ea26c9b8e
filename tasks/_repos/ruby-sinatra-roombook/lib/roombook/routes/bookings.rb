# frozen_string_literal: true

module RoomBook
  module Routes
    # Reservations of a room: create, list, show, cancel, and free slots of a day.
    module Bookings
      def self.registered(app)
        app.post "/rooms/:id/bookings" do
          booking = booking_service.book(path_id(params["id"]), json_body)
          json(booking.to_h, 201)
        end

        app.get "/rooms/:id/bookings" do
          date = QueryParams.date(params, "date")
          status_filter = params["status"]
          status_filter = nil if status_filter == ""
          list = booking_service.list(path_id(params["id"]), date: date, status: status_filter)
          json({ bookings: list.map(&:to_h), count: list.length })
        end

        app.get "/rooms/:id/availability" do
          date = QueryParams.date(params, "date", required: true)
          json(booking_service.availability(path_id(params["id"]), date))
        end

        app.get "/bookings/:id" do
          json(bookings.find!(path_id(params["id"])).to_h)
        end

        app.post "/bookings/:id/cancel" do
          json(booking_service.cancel(path_id(params["id"])).to_h)
        end
      end
    end
  end
end
