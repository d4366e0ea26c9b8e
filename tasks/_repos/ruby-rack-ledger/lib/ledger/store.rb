# frozen_string_literal: true

require "monitor"

module Ledger
  # In-memory tables with auto-increment ids. Puma runs several threads, so all access goes
  # through one re-entrant monitor; `atomically` groups reads and writes into one unit.
  class Store
    def initialize
      @tables = Hash.new { |h, k| h[k] = {} }
      @sequences = Hash.new(0)
      @lock = Monitor.new
    end

    def atomically(&block)
      @lock.synchronize(&block)
    end

    def next_id(table)
      atomically { @sequences[table] += 1 }
    end

    def put(table, id, record)
      atomically { @tables[table][id] = record }
    end

    def get(table, id)
      atomically { @tables[table][id] }
    end

    def all(table)
      atomically { @tables[table].values }
    end

    def ping
      atomically { true }
    end
  end
end
