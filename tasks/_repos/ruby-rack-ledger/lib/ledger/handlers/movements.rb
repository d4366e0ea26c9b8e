# frozen_string_literal: true

module Ledger
  module Handlers
    # Deposits, withdrawals, transfers and account statements.
    class Movements
      def initialize(service)
        @service = service
      end

      def mount(router)
        router.post("/accounts/:id/deposits") { |req, params| deposit(req, params) }
        router.post("/accounts/:id/withdrawals") { |req, params| withdraw(req, params) }
        router.get("/accounts/:id/transactions") { |req, params| statement(req, params) }
        router.post("/transfers") { |req, _| transfer(req) }
        router.get("/transfers/:id") { |_, params| show_transfer(params) }
      end

      private

      def deposit(req, params)
        entry = @service.deposit(Http.id(params, what: "account"), Http.json_body(req))
        Http.json(201, entry.to_h)
      end

      def withdraw(req, params)
        entry = @service.withdraw(Http.id(params, what: "account"), Http.json_body(req))
        Http.json(201, entry.to_h)
      end

      def statement(req, params)
        type = Query.choice(req.params, "type", ENTRY_TYPES)
        limit = Query.integer(req.params, "limit", default: 50, min: 1, max: 100)
        account, entries = @service.statement(Http.id(params, what: "account"), type: type, limit: limit)
        Http.json(200, {
                    account_id: account.id,
                    balance_cents: account.balance_cents,
                    transactions: entries.map(&:to_h),
                    count: entries.length
                  })
      end

      def transfer(req)
        transfer, created = @service.transfer(Http.json_body(req), idempotency_key: req.get_header("HTTP_IDEMPOTENCY_KEY"))
        Http.json(created ? 201 : 200, transfer.to_h)
      end

      def show_transfer(params)
        Http.json(200, @service.find_transfer(Http.id(params, what: "transfer")).to_h)
      end
    end
  end
end
