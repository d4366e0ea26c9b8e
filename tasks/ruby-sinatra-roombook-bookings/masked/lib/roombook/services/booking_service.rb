# frozen_string_literal: true

module RoomBook
  # The booking rules: validation of a reservation request against the room and the time
  # rules, double-booking prevention, cancellation, and the free-slot computation.
  class BookingService
    def initialize(db, rooms, bookings)
      @db = db
      @rooms = rooms
      @bookings = bookings
    end

    # Books a room. Raises NotFound (unknown room), ValidationError (bad fields, time rules,
    # too many attendees) or Conflict (overlaps a confirmed booking of the same room).
    def book(room_id, data)
      raise NotImplementedYet
    end

    # Cancels a confirmed booking; cancelling twice is a Conflict.
    def cancel(booking_id)
      raise NotImplementedYet
    end

    # Bookings of a room, optionally on one day and/or with one status.
    def list(room_id, date: nil, status: nil)
      raise NotImplementedYet
    end

    # Free intervals of a room's opening hours on a date: the gaps between its confirmed
    # bookings, in order.
    def availability(room_id, date)
      raise NotImplementedYet
    end
  end
end
