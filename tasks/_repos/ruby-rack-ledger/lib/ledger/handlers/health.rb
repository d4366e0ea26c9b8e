# frozen_string_literal: true

module Ledger
  module Handlers
    class Health
      def mount(router)
        router.get("/health") { |_req, _params| Http.json(200, { status: "ok", service: "ledger" }) }
      end
    end
  end
end
