# frozen_string_literal: true

module Ledger
  class TransferRepository
    TABLE = :transfers

    def initialize(store)
      @store = store
    end

    def create(from_account_id:, to_account_id:, amount_cents:, currency:, reference:, idempotency_key:)
      transfer = Transfer.new(id: @store.next_id(TABLE), from_account_id: from_account_id,
                              to_account_id: to_account_id, amount_cents: amount_cents, currency: currency,
                              reference: reference, idempotency_key: idempotency_key,
                              created_at: Ledger.timestamp)
      @store.put(TABLE, transfer.id, transfer)
      transfer.dup
    end

    def find(id)
      @store.get(TABLE, id)&.dup
    end

    def find!(id)
      find(id) || raise(NotFound, "transfer #{id} not found")
    end

    def find_by_idempotency_key(key)
      @store.all(TABLE).find { |t| t.idempotency_key == key }&.dup
    end
  end
end
