# frozen_string_literal: true

module Ledger
  # Money movements: deposits, withdrawals and transfers, each recorded as entries carrying
  # the balance after the movement. Every movement runs atomically on the store, so balances
  # cannot be overdrawn by concurrent requests.
  class MovementService
    def initialize(store, accounts, entries, transfers)
      @store = store
      @accounts = accounts
      @entries = entries
      @transfers = transfers
    end

    # Returns the created Entry.
    def deposit(account_id, data)
      raise NotImplementedYet
    end

    # Returns the created Entry.
    def withdraw(account_id, data)
      raise NotImplementedYet
    end

    # Returns [transfer, created?]. With an idempotency key already used for the same
    # request, returns the original transfer and false; for a different request, Conflict.
    def transfer(data, idempotency_key: nil)
      raise NotImplementedYet
    end

    # Returns the Transfer.
    def find_transfer(id)
      raise NotImplementedYet
    end

    # Returns [account, entries]: the last `limit` entries of the account (optionally of one
    # type), oldest first.
    def statement(account_id, type: nil, limit: 50)
      raise NotImplementedYet
    end
  end
end
