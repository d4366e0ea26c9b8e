# frozen_string_literal: true

module Ledger
  # A minimal Rack router: `add("POST", "/accounts/:id/deposits") { |req, params| ... }`.
  # Path segments starting with ":" capture into params; an unknown path is a 404 and a known
  # path with another method a 405. Handlers return a Rack response triple.
  class Router
    Route = Struct.new(:verb, :pattern, :names, :handler)

    def initialize
      @routes = []
    end

    def add(verb, path, &handler)
      names = []
      regex = path.split("/").map do |segment|
        if segment.start_with?(":")
          names << segment.delete_prefix(":")
          "([^/]+)"
        else
          Regexp.escape(segment)
        end
      end.join("/")
      @routes << Route.new(verb, /\A#{regex}\z/, names, handler)
    end

    %w[GET POST PUT PATCH DELETE].each do |verb|
      define_method(verb.downcase) { |path, &handler| add(verb, path, &handler) }
    end

    def call(env)
      request = Rack::Request.new(env)
      path = request.path_info.empty? ? "/" : request.path_info.chomp("/")
      path = "/" if path.empty?
      matching = @routes.filter_map do |route|
        match = route.pattern.match(path)
        [route, match] if match
      end
      raise NotFound, "no route for #{request.request_method} #{path}" if matching.empty?

      route, match = matching.find { |r, _| r.verb == request.request_method }
      raise MethodNotAllowed, matching.map { |r, _| r.verb }.uniq unless route

      params = route.names.zip(match.captures).to_h
      route.handler.call(request, params)
    end
  end
end
