# frozen_string_literal: true

require "json"
require "rack"

require_relative "ledger/errors"
require_relative "ledger/validation"
require_relative "ledger/store"
require_relative "ledger/models/account"
require_relative "ledger/models/entry"
require_relative "ledger/models/transfer"
require_relative "ledger/repositories/account_repository"
require_relative "ledger/repositories/entry_repository"
require_relative "ledger/repositories/transfer_repository"
require_relative "ledger/services/account_service"
require_relative "ledger/services/movement_service"
require_relative "ledger/router"
require_relative "ledger/http"
require_relative "ledger/middleware/json_errors"
require_relative "ledger/handlers/health"
require_relative "ledger/handlers/accounts"
require_relative "ledger/handlers/movements"

# A small double-entry style ledger: accounts in one currency each, deposits, withdrawals and
# transfers between accounts, every movement recorded as an entry with the balance after it.
module Ledger
  SUPPORTED_CURRENCIES = %w[EUR GBP JPY USD CHF].freeze
  MAX_AMOUNT_CENTS = 100_000_000

  def self.timestamp
    Time.now.utc.strftime("%Y-%m-%dT%H:%M:%S.%LZ")
  end

  # Builds the Rack application with its own in-memory store.
  def self.build_app(store: Store.new)
    accounts = AccountRepository.new(store)
    entries = EntryRepository.new(store)
    transfers = TransferRepository.new(store)
    account_service = AccountService.new(store, accounts)
    movement_service = MovementService.new(store, accounts, entries, transfers)

    router = Router.new
    Handlers::Health.new.mount(router)
    Handlers::Accounts.new(account_service).mount(router)
    Handlers::Movements.new(movement_service).mount(router)
    router
  end
end
