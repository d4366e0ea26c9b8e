# frozen_string_literal: true

module RoomBook
  module Routes
    # Room catalogue: list (with filters), create, show, partial update, delete.
    module Rooms
      def self.registered(app)
        app.get "/rooms" do
          # TODO: list rooms, optionally filtered by ?min_capacity= and ?feature=
          raise NotImplementedYet
        end

        app.post "/rooms" do
          # TODO: validate the JSON body and create a room
          raise NotImplementedYet
        end

        app.get "/rooms/:id" do
          # TODO: show one room
          raise NotImplementedYet
        end

        app.patch "/rooms/:id" do
          # TODO: partially update a room
          raise NotImplementedYet
        end

        app.delete "/rooms/:id" do
          # TODO: delete a room that has no confirmed bookings
          raise NotImplementedYet
        end
      end
    end
  end
end
