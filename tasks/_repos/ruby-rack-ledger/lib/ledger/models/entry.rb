# frozen_string_literal: true

module Ledger
  ENTRY_TYPES = %w[deposit withdrawal transfer_in transfer_out].freeze

  # One movement on one account. amount_cents is always positive; the type says the direction.
  Entry = Struct.new(:id, :account_id, :type, :amount_cents, :balance_after_cents, :reference,
                     :transfer_id, :created_at, keyword_init: true) do
    def credit?
      %w[deposit transfer_in].include?(type)
    end

    def to_h
      {
        id: id,
        account_id: account_id,
        type: type,
        amount_cents: amount_cents,
        balance_after_cents: balance_after_cents,
        reference: reference,
        transfer_id: transfer_id,
        created_at: created_at
      }
    end
  end
end
