# frozen_string_literal: true

module RoomBook
  # Small field validators. Each collects messages into an errors hash keyed by field name,
  # so one request reports every problem at once; `check!` raises a ValidationError (422).
  class Validator
    EMAIL = /\A[^@\s]+@[^@\s]+\.[^@\s]+\z/

    attr_reader :errors

    def initialize(data)
      @data = data
      @errors = {}
    end

    def present?(field)
      @data.key?(field.to_s)
    end

    def string(field, required: true, min: 1, max: 255, format: nil, message: nil)
      value = @data[field.to_s]
      return missing(field, required) if value.nil?
      return add(field, "must be a string") unless value.is_a?(String)

      value = value.strip
      return add(field, "must be between #{min} and #{max} characters") unless value.length.between?(min, max)
      return add(field, message || "has an invalid format") if format && !format.match?(value)

      value
    end

    def integer(field, required: true, min: nil, max: nil)
      value = @data[field.to_s]
      return missing(field, required) if value.nil?
      return add(field, "must be an integer") unless value.is_a?(Integer)
      return add(field, "must be at least #{min}") if min && value < min
      return add(field, "must be at most #{max}") if max && value > max

      value
    end

    def string_list(field, required: false, max_items: 20, max_length: 40)
      value = @data[field.to_s]
      return missing(field, required) if value.nil?
      unless value.is_a?(Array) && value.all? { |v| v.is_a?(String) && !v.strip.empty? && v.strip.length <= max_length }
        return add(field, "must be a list of non-empty strings of at most #{max_length} characters")
      end
      return add(field, "must have at most #{max_items} items") if value.length > max_items

      value
    end

    def timestamp(field, required: true)
      value = @data[field.to_s]
      return missing(field, required) if value.nil?
      return add(field, "must be an ISO 8601 timestamp with a time zone") unless value.is_a?(String)

      TimeSlot.parse_time(value)
    rescue ArgumentError
      add(field, "must be an ISO 8601 timestamp with a time zone")
    end

    def add(field, message)
      (@errors[field.to_s] ||= message)
      nil
    end

    def check!
      raise ValidationError.new("the request did not pass validation", details: @errors) unless @errors.empty?
    end

    private

    def missing(field, required)
      add(field, "is required") if required
      nil
    end
  end

  # Query-string parsing shared by list endpoints.
  module QueryParams
    module_function

    def optional_integer(params, name, min: nil)
      raw = params[name]
      return nil if raw.nil? || raw == ""

      value = Integer(raw, 10)
      raise ArgumentError if min && value < min

      value
    rescue ArgumentError, TypeError
      raise ValidationError.new("invalid query parameter", details: { name => "must be an integer#{min ? " >= #{min}" : ""}" })
    end

    def date(params, name, required: false)
      raw = params[name]
      if raw.nil? || raw == ""
        raise ValidationError.new("invalid query parameter", details: { name => "is required" }) if required

        return nil
      end
      TimeSlot.parse_date(raw)
    rescue ArgumentError
      raise ValidationError.new("invalid query parameter", details: { name => "must be a date in YYYY-MM-DD form" })
    end
  end
end
