# frozen_string_literal: true

require "fileutils"
require "monitor"
require "sqlite3"

module RoomBook
  # One SQLite connection shared by the whole process. Puma serves requests from several
  # threads, so every access goes through a re-entrant monitor; `transaction` holds it for the
  # whole unit of work, which makes check-then-write sequences (overlap checks) atomic.
  class Database
    SCHEMA = <<~SQL
      CREATE TABLE IF NOT EXISTS rooms (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        name       TEXT    NOT NULL UNIQUE COLLATE NOCASE,
        capacity   INTEGER NOT NULL,
        floor      INTEGER NOT NULL DEFAULT 0,
        features   TEXT    NOT NULL DEFAULT '[]',
        created_at TEXT    NOT NULL
      );
      CREATE TABLE IF NOT EXISTS bookings (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        room_id     INTEGER NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
        title       TEXT    NOT NULL,
        organizer   TEXT    NOT NULL,
        attendees   INTEGER NOT NULL,
        starts_at   TEXT    NOT NULL,
        ends_at     TEXT    NOT NULL,
        status      TEXT    NOT NULL DEFAULT 'confirmed',
        created_at  TEXT    NOT NULL,
        cancelled_at TEXT
      );
      CREATE INDEX IF NOT EXISTS bookings_room_start ON bookings (room_id, starts_at);
    SQL

    def initialize(path)
      FileUtils.mkdir_p(File.dirname(path)) unless path == ":memory:"
      @db = SQLite3::Database.new(path)
      @db.results_as_hash = true
      @db.busy_timeout = 5000
      @db.execute("PRAGMA foreign_keys = ON")
      @db.execute_batch(SCHEMA)
      @lock = Monitor.new
    end

    def query(sql, params = [])
      @lock.synchronize { @db.execute(sql, params) }
    end

    def first(sql, params = [])
      query(sql, params).first
    end

    def insert(sql, params = [])
      @lock.synchronize do
        @db.execute(sql, params)
        @db.last_insert_row_id
      end
    end

    # Runs the block in one transaction (nested calls join the outer one) and returns its value.
    def transaction
      @lock.synchronize do
        return yield if @db.transaction_active?

        result = nil
        @db.transaction { result = yield }
        result
      end
    end
  end
end
