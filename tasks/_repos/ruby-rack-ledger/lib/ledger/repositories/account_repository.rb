# frozen_string_literal: true

module Ledger
  class AccountRepository
    TABLE = :accounts

    def initialize(store)
      @store = store
    end

    def create(owner:, currency:, overdraft_limit_cents:)
      @store.atomically do
        account = Account.new(id: @store.next_id(TABLE), owner: owner, currency: currency, balance_cents: 0,
                              overdraft_limit_cents: overdraft_limit_cents, frozen: false,
                              created_at: Ledger.timestamp)
        @store.put(TABLE, account.id, account)
        account.dup
      end
    end

    def find(id)
      @store.get(TABLE, id)&.dup
    end

    def find!(id)
      find(id) || raise(NotFound, "account #{id} not found")
    end

    def save(account)
      @store.put(TABLE, account.id, account.dup)
      account
    end

    def where(owner: nil, currency: nil)
      @store.all(TABLE)
            .select { |a| owner.nil? || a.owner.casecmp?(owner) }
            .select { |a| currency.nil? || a.currency == currency }
            .sort_by(&:id)
            .map(&:dup)
    end
  end
end
