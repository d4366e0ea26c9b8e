class HealthController < ApplicationController
  def show
    ActiveRecord::Base.connection.select_value("SELECT 1")
    render json: { status: "ok", service: "helpdesk" }
  end
end
