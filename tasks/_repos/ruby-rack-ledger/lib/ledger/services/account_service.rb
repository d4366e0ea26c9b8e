# frozen_string_literal: true

module Ledger
  # Opening accounts, looking them up, freezing and unfreezing them.
  class AccountService
    def initialize(store, accounts)
      @store = store
      @accounts = accounts
    end

    def open(data)
      v = Validator.new(data)
      owner = v.string("owner", max: 100)
      currency = v.string("currency", min: 3, max: 3, allowed: SUPPORTED_CURRENCIES)
      overdraft = v.integer("overdraft_limit_cents", required: false, min: 0, max: MAX_AMOUNT_CENTS) || 0
      v.check!
      @accounts.create(owner: owner, currency: currency, overdraft_limit_cents: overdraft)
    end

    def list(owner: nil, currency: nil)
      if currency && !SUPPORTED_CURRENCIES.include?(currency)
        raise ValidationError, { "currency" => "must be one of #{SUPPORTED_CURRENCIES.join(', ')}" }
      end

      @accounts.where(owner: owner, currency: currency)
    end

    def get(id)
      @accounts.find!(id)
    end

    def freeze(id)
      set_frozen(id, true)
    end

    def unfreeze(id)
      set_frozen(id, false)
    end

    private

    def set_frozen(id, frozen)
      @store.atomically do
        account = @accounts.find!(id)
        if account.frozen? == frozen
          raise Conflict.new("account #{id} is already #{frozen ? 'frozen' : 'active'}",
                             code: frozen ? "account_frozen" : "account_active")
        end

        account.frozen = frozen
        @accounts.save(account)
      end
    end
  end
end
