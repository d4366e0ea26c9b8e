# frozen_string_literal: true

module Ledger
  class EntryRepository
    TABLE = :entries

    def initialize(store)
      @store = store
    end

    def create(account_id:, type:, amount_cents:, balance_after_cents:, reference: nil, transfer_id: nil)
      entry = Entry.new(id: @store.next_id(TABLE), account_id: account_id, type: type, amount_cents: amount_cents,
                        balance_after_cents: balance_after_cents, reference: reference,
                        transfer_id: transfer_id, created_at: Ledger.timestamp)
      @store.put(TABLE, entry.id, entry)
      entry.dup
    end

    # Entries of one account in the order they happened, optionally of one type.
    def for_account(account_id, type: nil)
      @store.all(TABLE)
            .select { |e| e.account_id == account_id && (type.nil? || e.type == type) }
            .sort_by(&:id)
            .map(&:dup)
    end
  end
end
