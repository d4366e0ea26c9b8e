# frozen_string_literal: true

require "date"
require "time"

module RoomBook
  # Booking time rules. All times are handled in UTC; rooms open at 07:00 and close at 21:00,
  # bookings start and end on a quarter hour and last at most four hours.
  module TimeSlot
    OPENS_AT_MINUTE = 7 * 60
    CLOSES_AT_MINUTE = 21 * 60
    GRANULARITY_MINUTES = 15
    MAX_DURATION_MINUTES = 4 * 60
    ISO_WITH_ZONE = /\A\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})\z/

    module_function

    def parse_time(value)
      raise ArgumentError, "not an ISO 8601 timestamp" unless ISO_WITH_ZONE.match?(value)

      Time.iso8601(value).utc
    end

    def parse_date(value)
      raise ArgumentError, "not a date" unless /\A\d{4}-\d{2}-\d{2}\z/.match?(value)

      Date.iso8601(value)
    end

    def format(time)
      time.utc.strftime("%Y-%m-%dT%H:%M:%SZ")
    end

    def minute_of_day(time)
      (time.hour * 60) + time.min
    end

    def day_start(date)
      Time.utc(date.year, date.month, date.day)
    end

    def opening(date)
      start = day_start(date)
      [start + (OPENS_AT_MINUTE * 60), start + (CLOSES_AT_MINUTE * 60)]
    end

    def clock(minute)
      Kernel.format("%02d:%02d", minute / 60, minute % 60)
    end
  end
end
