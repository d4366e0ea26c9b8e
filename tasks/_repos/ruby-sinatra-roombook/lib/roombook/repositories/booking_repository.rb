# frozen_string_literal: true

module RoomBook
  # Persistence of bookings. Times are stored as UTC ISO 8601 strings, which sort
  # chronologically as text.
  class BookingRepository
    def initialize(db)
      @db = db
    end

    def find(id)
      row = @db.first("SELECT * FROM bookings WHERE id = ?", [id])
      row && Booking.from_row(row)
    end

    def find!(id)
      find(id) || raise(NotFound, "booking #{id} not found")
    end

    # Bookings of a room, optionally restricted to a status and to the half-open window
    # [from, to), ordered by start time.
    def for_room(room_id, status: nil, from: nil, to: nil)
      sql = +"SELECT * FROM bookings WHERE room_id = ?"
      params = [room_id]
      if status
        sql << " AND status = ?"
        params << status
      end
      if from && to
        sql << " AND starts_at < ? AND ends_at > ?"
        params.push(TimeSlot.format(to), TimeSlot.format(from))
      end
      sql << " ORDER BY starts_at, id"
      @db.query(sql, params).map { |row| Booking.from_row(row) }
    end

    # Confirmed bookings of the room that overlap [starts_at, ends_at).
    def overlapping(room_id, starts_at, ends_at)
      for_room(room_id, status: "confirmed", from: starts_at, to: ends_at)
    end

    def count_confirmed(room_id)
      @db.first("SELECT COUNT(*) AS n FROM bookings WHERE room_id = ? AND status = 'confirmed'", [room_id])["n"]
    end

    def create(room_id:, title:, organizer:, attendees:, starts_at:, ends_at:)
      id = @db.insert(
        "INSERT INTO bookings (room_id, title, organizer, attendees, starts_at, ends_at, status, created_at) " \
        "VALUES (?, ?, ?, ?, ?, ?, 'confirmed', ?)",
        [room_id, title, organizer, attendees, TimeSlot.format(starts_at), TimeSlot.format(ends_at), now]
      )
      find(id)
    end

    def mark_cancelled(id)
      @db.query("UPDATE bookings SET status = 'cancelled', cancelled_at = ? WHERE id = ?", [now, id])
      find(id)
    end

    private

    def now
      Time.now.utc.strftime("%Y-%m-%dT%H:%M:%SZ")
    end
  end
end
