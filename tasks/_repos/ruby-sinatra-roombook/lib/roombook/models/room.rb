# frozen_string_literal: true

require "json"

module RoomBook
  Room = Struct.new(:id, :name, :capacity, :floor, :features, :created_at, keyword_init: true) do
    def self.from_row(row)
      new(
        id: row["id"],
        name: row["name"],
        capacity: row["capacity"],
        floor: row["floor"],
        features: JSON.parse(row["features"]),
        created_at: row["created_at"]
      )
    end

    def self.normalize_features(list)
      list.map { |f| f.strip.downcase }.uniq.sort
    end

    def to_h
      { id: id, name: name, capacity: capacity, floor: floor, features: features, created_at: created_at }
    end
  end
end
