# frozen_string_literal: true

module Ledger
  # An account holds money in one currency, as integer minor units (cents). It may go below
  # zero down to -overdraft_limit_cents. A frozen account accepts no movements.
  Account = Struct.new(:id, :owner, :currency, :balance_cents, :overdraft_limit_cents, :frozen,
                       :created_at, keyword_init: true) do
    def available_cents
      balance_cents + overdraft_limit_cents
    end

    def frozen?
      frozen
    end

    def to_h
      {
        id: id,
        owner: owner,
        currency: currency,
        balance_cents: balance_cents,
        overdraft_limit_cents: overdraft_limit_cents,
        available_cents: available_cents,
        frozen: frozen,
        created_at: created_at
      }
    end
  end
end
