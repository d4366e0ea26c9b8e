# frozen_string_literal: true

module Ledger
  module Handlers
    # /accounts: open, list, show, freeze, unfreeze.
    class Accounts
      def initialize(service)
        @service = service
      end

      def mount(router)
        router.get("/accounts") { |req, _| index(req) }
        router.post("/accounts") { |req, _| create(req) }
        router.get("/accounts/:id") { |_, params| show(params) }
        router.post("/accounts/:id/freeze") { |_, params| freeze(params) }
        router.post("/accounts/:id/unfreeze") { |_, params| unfreeze(params) }
      end

      private

      def index(req)
        owner = blank_to_nil(req.params["owner"])
        currency = blank_to_nil(req.params["currency"])&.upcase
        accounts = @service.list(owner: owner, currency: currency)
        Http.json(200, { accounts: accounts.map(&:to_h), count: accounts.length })
      end

      def create(req)
        Http.json(201, @service.open(Http.json_body(req)).to_h)
      end

      def show(params)
        Http.json(200, @service.get(account_id(params)).to_h)
      end

      def freeze(params)
        Http.json(200, @service.freeze(account_id(params)).to_h)
      end

      def unfreeze(params)
        Http.json(200, @service.unfreeze(account_id(params)).to_h)
      end

      def account_id(params)
        Http.id(params, what: "account")
      end

      def blank_to_nil(value)
        value.nil? || value.strip.empty? ? nil : value.strip
      end
    end
  end
end
