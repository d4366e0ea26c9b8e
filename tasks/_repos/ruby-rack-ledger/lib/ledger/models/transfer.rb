# frozen_string_literal: true

module Ledger
  # A completed transfer between two accounts of the same currency. idempotency_key is the
  # client's Idempotency-Key header, if it sent one.
  Transfer = Struct.new(:id, :from_account_id, :to_account_id, :amount_cents, :currency, :reference,
                        :idempotency_key, :created_at, keyword_init: true) do
    def same_request?(from_account_id, to_account_id, amount_cents)
      self.from_account_id == from_account_id && self.to_account_id == to_account_id &&
        self.amount_cents == amount_cents
    end

    def to_h
      {
        id: id,
        from_account_id: from_account_id,
        to_account_id: to_account_id,
        amount_cents: amount_cents,
        currency: currency,
        reference: reference,
        status: "completed",
        created_at: created_at
      }
    end
  end
end
