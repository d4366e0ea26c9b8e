# frozen_string_literal: true

module Ledger
  # Collects per-field errors of one JSON object; `check!` raises ValidationError (422)
  # listing all of them.
  class Validator
    def initialize(data)
      @data = data
      @errors = {}
    end

    def string(field, required: true, min: 1, max: 255, allowed: nil)
      value = @data[field]
      return missing(field, required) if value.nil?
      return error(field, "must be a string") unless value.is_a?(String)

      value = value.strip
      return error(field, "must be between #{min} and #{max} characters") unless value.length.between?(min, max)
      return error(field, "must be one of #{allowed.join(', ')}") if allowed && !allowed.include?(value)

      value
    end

    def integer(field, required: true, min: nil, max: nil)
      value = @data[field]
      return missing(field, required) if value.nil?
      return error(field, "must be an integer") unless value.is_a?(Integer)
      return error(field, "must be at least #{min}") if min && value < min
      return error(field, "must be at most #{max}") if max && value > max

      value
    end

    def error(field, message)
      @errors[field] ||= message
      nil
    end

    def errors?
      !@errors.empty?
    end

    def check!
      raise ValidationError, @errors.dup if errors?
    end

    private

    def missing(field, required)
      error(field, "is required") if required
      nil
    end
  end

  # Parsing of query-string values.
  module Query
    module_function

    def integer(params, name, default:, min:, max:)
      raw = params[name]
      return default if raw.nil? || raw.empty?

      value = Integer(raw, 10)
      raise ArgumentError unless value.between?(min, max)

      value
    rescue ArgumentError
      raise ValidationError, { name => "must be an integer between #{min} and #{max}" }
    end

    def choice(params, name, allowed)
      raw = params[name]
      return nil if raw.nil? || raw.empty?
      raise ValidationError, { name => "must be one of #{allowed.join(', ')}" } unless allowed.include?(raw)

      raw
    end
  end
end
