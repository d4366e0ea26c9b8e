class ApplicationController < ActionController::API
  rescue_from ActiveRecord::RecordNotFound do |error|
    render_error(:not_found, "not_found", "#{error.model || 'record'} not found")
  end

  rescue_from ActiveRecord::RecordInvalid do |error|
    render_error(:unprocessable_entity, "validation_failed", "the request did not pass validation",
                 error.record.errors.to_hash)
  end

  rescue_from Helpdesk::ApiError do |error|
    render_error(error.status, error.code, error.message, error.details)
  end

  rescue_from ActionDispatch::Http::Parameters::ParseError do
    render_error(:bad_request, "bad_request", "request body is not valid JSON")
  end

  def route_not_found
    render_error(:not_found, "not_found", "no route for #{request.method} #{request.path}")
  end

  private

  # The request body as a JSON object. Read from the raw body (not params) so that a JSON
  # array or scalar is rejected instead of being wrapped.
  def payload
    @payload ||= begin
      raw = request.raw_post.to_s
      raise Helpdesk::BadRequest if raw.strip.empty?

      data = JSON.parse(raw)
      raise Helpdesk::BadRequest unless data.is_a?(Hash)

      data
    rescue JSON::ParserError
      raise Helpdesk::BadRequest, "request body is not valid JSON"
    end
  end

  # The subset of the payload with the given keys (only keys actually present).
  def permitted(*keys)
    payload.slice(*keys.map(&:to_s))
  end

  # Rejects values of the wrong JSON type before Active Record would silently cast them
  # ("10" for an integer, "yes" for a boolean). `types` maps key => :string, :integer or :boolean;
  # null passes (model validations decide whether it is allowed).
  def check_types!(data, types)
    errors = {}
    types.each do |key, type|
      key = key.to_s
      next unless data.key?(key) && !data[key].nil?

      value = data[key]
      ok = case type
           when :string then value.is_a?(String)
           when :integer then value.is_a?(Integer)
           when :boolean then [true, false].include?(value)
           end
      errors[key] = ["must be #{type == :integer ? 'an integer' : "a #{type}"}"] unless ok
    end
    raise Helpdesk::InvalidInput.new(errors) if errors.any?
  end

  def render_error(status, code, message, details = nil)
    body = { error: code, message: message }
    body[:details] = details if details.present?
    render json: body, status: status
  end

  # Parses a positive integer query parameter; nil when absent.
  def integer_param(name)
    raw = params[name]
    return nil if raw.blank?
    raise Helpdesk::InvalidInput.new({ name => ["must be a positive integer"] }) unless raw.to_s.match?(/\A[1-9]\d*\z/)

    raw.to_i
  end
end
