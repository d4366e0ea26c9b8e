# frozen_string_literal: true

module RoomBook
  BOOKING_STATUSES = %w[confirmed cancelled].freeze

  Booking = Struct.new(:id, :room_id, :title, :organizer, :attendees, :starts_at, :ends_at, :status,
                       :created_at, :cancelled_at, keyword_init: true) do
    def self.from_row(row)
      new(
        id: row["id"],
        room_id: row["room_id"],
        title: row["title"],
        organizer: row["organizer"],
        attendees: row["attendees"],
        starts_at: TimeSlot.parse_time(row["starts_at"]),
        ends_at: TimeSlot.parse_time(row["ends_at"]),
        status: row["status"],
        created_at: row["created_at"],
        cancelled_at: row["cancelled_at"]
      )
    end

    def confirmed?
      status == "confirmed"
    end

    def duration_minutes
      ((ends_at - starts_at) / 60).to_i
    end

    def to_h
      {
        id: id,
        room_id: room_id,
        title: title,
        organizer: organizer,
        attendees: attendees,
        starts_at: TimeSlot.format(starts_at),
        ends_at: TimeSlot.format(ends_at),
        duration_minutes: duration_minutes,
        status: status,
        created_at: created_at,
        cancelled_at: cancelled_at
      }
    end
  end
end
