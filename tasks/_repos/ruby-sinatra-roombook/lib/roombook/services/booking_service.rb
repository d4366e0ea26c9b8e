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
      room = @rooms.find!(room_id)
      v = Validator.new(data)
      title = v.string(:title, max: 120)
      organizer = v.string(:organizer, max: 120, format: Validator::EMAIL, message: "must be an email address")
      attendees = v.integer(:attendees, min: 1)
      starts_at = v.timestamp(:starts_at)
      ends_at = v.timestamp(:ends_at)
      v.add(:attendees, "exceeds the room capacity of #{room.capacity}") if attendees && attendees > room.capacity
      check_slot(v, starts_at, ends_at) if starts_at && ends_at
      v.check!

      @db.transaction do
        clash = @bookings.overlapping(room.id, starts_at, ends_at).first
        if clash
          raise Conflict.new("the room is already booked at that time",
                             details: { "conflicting_booking_id" => clash.id })
        end

        @bookings.create(room_id: room.id, title: title, organizer: organizer, attendees: attendees,
                         starts_at: starts_at, ends_at: ends_at)
      end
    end

    # Cancels a confirmed booking; cancelling twice is a Conflict.
    def cancel(booking_id)
      @db.transaction do
        booking = @bookings.find!(booking_id)
        raise Conflict, "booking #{booking.id} is already cancelled" unless booking.confirmed?

        @bookings.mark_cancelled(booking.id)
      end
    end

    # Bookings of a room, optionally on one day and/or with one status.
    def list(room_id, date: nil, status: nil)
      room = @rooms.find!(room_id)
      if status && !BOOKING_STATUSES.include?(status)
        raise ValidationError.new("invalid query parameter",
                                  details: { "status" => "must be one of #{BOOKING_STATUSES.join(', ')}" })
      end
      from, to = date ? [TimeSlot.day_start(date), TimeSlot.day_start(date + 1)] : [nil, nil]
      @bookings.for_room(room.id, status: status, from: from, to: to)
    end

    # Free intervals of a room's opening hours on a date: the gaps between its confirmed
    # bookings, in order.
    def availability(room_id, date)
      room = @rooms.find!(room_id)
      opens, closes = TimeSlot.opening(date)
      cursor = opens
      free = []
      @bookings.for_room(room.id, status: "confirmed", from: opens, to: closes).each do |booking|
        free << [cursor, booking.starts_at] if booking.starts_at > cursor
        cursor = booking.ends_at if booking.ends_at > cursor
      end
      free << [cursor, closes] if cursor < closes
      {
        room_id: room.id,
        date: date.iso8601,
        opens_at: TimeSlot.format(opens),
        closes_at: TimeSlot.format(closes),
        free: free.map { |from, to| { starts_at: TimeSlot.format(from), ends_at: TimeSlot.format(to), minutes: ((to - from) / 60).to_i } },
        free_minutes: free.sum { |from, to| ((to - from) / 60).to_i }
      }
    end

    private

    def check_slot(v, starts_at, ends_at)
      return v.add(:ends_at, "must be after starts_at") unless ends_at > starts_at

      [[:starts_at, starts_at], [:ends_at, ends_at]].each do |field, time|
        unless (time.min % TimeSlot::GRANULARITY_MINUTES).zero? && time.sec.zero? && time.subsec.zero?
          v.add(field, "must be on a #{TimeSlot::GRANULARITY_MINUTES}-minute boundary")
        end
      end
      duration = ((ends_at - starts_at) / 60).to_i
      if duration > TimeSlot::MAX_DURATION_MINUTES
        v.add(:ends_at, "a booking may last at most #{TimeSlot::MAX_DURATION_MINUTES} minutes")
      end
      opens, closes = TimeSlot.opening(starts_at.to_date)
      return if starts_at >= opens && ends_at <= closes

      v.add(:starts_at, "bookings must lie within opening hours " \
                        "#{TimeSlot.clock(TimeSlot::OPENS_AT_MINUTE)}-#{TimeSlot.clock(TimeSlot::CLOSES_AT_MINUTE)} UTC of one day")
    end
  end
end
