# frozen_string_literal: true

module RoomBook
  module Routes
    # Room catalogue: list (with filters), create, show, partial update, delete.
    module Rooms
      def self.registered(app)
        app.get "/rooms" do
          min_capacity = QueryParams.optional_integer(params, "min_capacity", min: 1)
          feature = params["feature"]
          feature = nil if feature.nil? || feature.strip.empty?
          list = rooms.all(min_capacity: min_capacity, feature: feature)
          json({ rooms: list.map(&:to_h), count: list.length })
        end

        app.post "/rooms" do
          data = json_body
          v = Validator.new(data)
          name = v.string(:name, max: 80)
          capacity = v.integer(:capacity, min: 1, max: 500)
          floor = v.integer(:floor, required: false, min: -5, max: 200) || 0
          features = v.string_list(:features) || []
          v.check!
          raise Conflict, "a room named '#{name}' already exists" if rooms.find_by_name(name)

          room = rooms.create(name: name, capacity: capacity, floor: floor,
                              features: Room.normalize_features(features))
          json(room.to_h, 201)
        end

        app.get "/rooms/:id" do
          room = rooms.find!(path_id(params["id"]))
          json(room.to_h)
        end

        app.patch "/rooms/:id" do
          room = rooms.find!(path_id(params["id"]))
          data = json_body
          v = Validator.new(data)
          name = v.string(:name, required: false, max: 80)
          capacity = v.integer(:capacity, required: false, min: 1, max: 500)
          floor = v.integer(:floor, required: false, min: -5, max: 200)
          features = v.string_list(:features, required: false)
          %w[name capacity floor features].each do |field|
            v.add(field, "must not be null") if data.key?(field) && data[field].nil?
          end
          v.check!
          if name && !name.casecmp?(room.name) && rooms.find_by_name(name)
            raise Conflict, "a room named '#{name}' already exists"
          end

          room.name = name if name
          room.capacity = capacity if capacity
          room.floor = floor if floor
          room.features = Room.normalize_features(features) if features
          json(rooms.update(room).to_h)
        end

        app.delete "/rooms/:id" do
          room = rooms.find!(path_id(params["id"]))
          active = bookings.count_confirmed(room.id)
          if active.positive?
            raise Conflict.new("room #{room.id} still has confirmed bookings",
                               details: { "confirmed_bookings" => active })
          end

          rooms.delete(room.id)
          status 204
          body ""
        end
      end
    end
  end
end
