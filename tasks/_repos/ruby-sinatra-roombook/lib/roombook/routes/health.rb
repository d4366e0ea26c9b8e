# frozen_string_literal: true

module RoomBook
  module Routes
    module Health
      def self.registered(app)
        app.get "/health" do
          settings.database.first("SELECT 1 AS ok")
          json({ status: "ok", service: "roombook" })
        end
      end
    end
  end
end
