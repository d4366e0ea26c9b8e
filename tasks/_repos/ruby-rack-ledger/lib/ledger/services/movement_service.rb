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

    def deposit(account_id, data)
      amount, reference = amount_and_reference(data)
      @store.atomically do
        account = movable!(account_id)
        account.balance_cents += amount
        @accounts.save(account)
        @entries.create(account_id: account.id, type: "deposit", amount_cents: amount,
                        balance_after_cents: account.balance_cents, reference: reference)
      end
    end

    def withdraw(account_id, data)
      amount, reference = amount_and_reference(data)
      @store.atomically do
        account = movable!(account_id)
        ensure_funds!(account, amount)
        account.balance_cents -= amount
        @accounts.save(account)
        @entries.create(account_id: account.id, type: "withdrawal", amount_cents: amount,
                        balance_after_cents: account.balance_cents, reference: reference)
      end
    end

    # Returns [transfer, created?]. With an idempotency key already used for the same
    # request, returns the original transfer and false; for a different request, Conflict.
    def transfer(data, idempotency_key: nil)
      key = check_idempotency_key(idempotency_key)
      v = Validator.new(data)
      from_id = v.integer("from_account_id", min: 1)
      to_id = v.integer("to_account_id", min: 1)
      amount = v.integer("amount_cents", min: 1, max: MAX_AMOUNT_CENTS)
      reference = v.string("reference", required: false, max: 140)
      v.error("to_account_id", "must differ from from_account_id") if from_id && from_id == to_id
      v.check!

      @store.atomically do
        if key && (previous = @transfers.find_by_idempotency_key(key))
          unless previous.same_request?(from_id, to_id, amount)
            raise Conflict.new("Idempotency-Key #{key} was already used for a different transfer",
                               code: "idempotency_conflict", details: { "transfer_id" => previous.id })
          end

          next [previous, false]
        end

        source = @accounts.find!(from_id)
        target = @accounts.find!(to_id)
        [source, target].each { |account| ensure_active!(account) }
        if source.currency != target.currency
          raise RuleViolation.new("currency_mismatch", "accounts hold different currencies",
                                  { "from_currency" => source.currency, "to_currency" => target.currency })
        end
        ensure_funds!(source, amount)

        transfer = @transfers.create(from_account_id: source.id, to_account_id: target.id, amount_cents: amount,
                                     currency: source.currency, reference: reference, idempotency_key: key)
        source.balance_cents -= amount
        target.balance_cents += amount
        @accounts.save(source)
        @accounts.save(target)
        @entries.create(account_id: source.id, type: "transfer_out", amount_cents: amount,
                        balance_after_cents: source.balance_cents, reference: reference, transfer_id: transfer.id)
        @entries.create(account_id: target.id, type: "transfer_in", amount_cents: amount,
                        balance_after_cents: target.balance_cents, reference: reference, transfer_id: transfer.id)
        [transfer, true]
      end
    end

    def find_transfer(id)
      @transfers.find!(id)
    end

    # The last `limit` entries of the account (optionally of one type), oldest first.
    def statement(account_id, type: nil, limit: 50)
      account = @accounts.find!(account_id)
      [account, @entries.for_account(account.id, type: type).last(limit)]
    end

    private

    def amount_and_reference(data)
      v = Validator.new(data)
      amount = v.integer("amount_cents", min: 1, max: MAX_AMOUNT_CENTS)
      reference = v.string("reference", required: false, max: 140)
      v.check!
      [amount, reference]
    end

    def movable!(account_id)
      ensure_active!(@accounts.find!(account_id))
    end

    def ensure_active!(account)
      raise Conflict.new("account #{account.id} is frozen", code: "account_frozen") if account.frozen?

      account
    end

    def ensure_funds!(account, amount)
      return if account.available_cents >= amount

      raise RuleViolation.new("insufficient_funds", "account #{account.id} cannot cover #{amount} cents",
                              { "available_cents" => account.available_cents, "requested_cents" => amount })
    end

    def check_idempotency_key(key)
      return nil if key.nil?

      key = key.strip
      unless /\A[A-Za-z0-9._:-]{1,64}\z/.match?(key)
        raise ValidationError, { "Idempotency-Key" => "must be 1-64 characters of letters, digits, '.', '_', ':' or '-'" }
      end

      key
    end
  end
end
