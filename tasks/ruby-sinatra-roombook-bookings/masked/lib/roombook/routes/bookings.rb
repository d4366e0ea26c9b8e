# frozen_string_literal: true

module RoomBook
  module Routes
    # Reservations of a room: create, list, show, cancel, and free slots of a day.
    module Bookings
      def self.registered(app)
        app.post "/rooms/:id/bookings" do
          # TODO: book the room (see BookingService#book)
          raise NotImplementedYet
        end

        app.get "/rooms/:id/bookings" do
          # TODO: list the room's bookings, filtered by ?date= and ?status=
          raise NotImplementedYet
        end

        app.get "/rooms/:id/availability" do
          # TODO: free slots of the room on ?date=
          raise NotImplementedYet
        end

        app.get "/bookings/:id" do
          # TODO: show one booking
          raise NotImplementedYet
        end

        app.post "/bookings/:id/cancel" do
          # TODO: cancel a booking
          raise NotImplementedYet
        end
      end
    end
  end
end
