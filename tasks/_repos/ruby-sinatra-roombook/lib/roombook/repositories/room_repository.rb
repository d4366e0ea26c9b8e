# frozen_string_literal: true

require "json"

module RoomBook
  # Persistence of rooms. Returns Room structs; knows nothing about HTTP.
  class RoomRepository
    def initialize(db)
      @db = db
    end

    def all(min_capacity: nil, feature: nil)
      sql = +"SELECT * FROM rooms"
      params = []
      if min_capacity
        sql << " WHERE capacity >= ?"
        params << min_capacity
      end
      sql << " ORDER BY id"
      rooms = @db.query(sql, params).map { |row| Room.from_row(row) }
      rooms = rooms.select { |room| room.features.include?(feature.strip.downcase) } if feature
      rooms
    end

    def find(id)
      row = @db.first("SELECT * FROM rooms WHERE id = ?", [id])
      row && Room.from_row(row)
    end

    def find!(id)
      find(id) || raise(NotFound, "room #{id} not found")
    end

    def find_by_name(name)
      row = @db.first("SELECT * FROM rooms WHERE name = ? COLLATE NOCASE", [name])
      row && Room.from_row(row)
    end

    def create(name:, capacity:, floor:, features:)
      id = @db.insert(
        "INSERT INTO rooms (name, capacity, floor, features, created_at) VALUES (?, ?, ?, ?, ?)",
        [name, capacity, floor, JSON.generate(features), Time.now.utc.strftime("%Y-%m-%dT%H:%M:%SZ")]
      )
      find(id)
    end

    def update(room)
      @db.query(
        "UPDATE rooms SET name = ?, capacity = ?, floor = ?, features = ? WHERE id = ?",
        [room.name, room.capacity, room.floor, JSON.generate(room.features), room.id]
      )
      find(room.id)
    end

    def delete(id)
      @db.query("DELETE FROM rooms WHERE id = ?", [id])
    end
  end
end
