class TicketsController < ApplicationController
  # GET /tickets
  def index
    raise Helpdesk::NotImplementedYet
  end

  # GET /tickets/:id
  def show
    raise Helpdesk::NotImplementedYet
  end

  # POST /tickets
  def create
    raise Helpdesk::NotImplementedYet
  end

  # PATCH /tickets/:id
  def update
    raise Helpdesk::NotImplementedYet
  end

  # POST /tickets/:id/transition
  def transition
    raise Helpdesk::NotImplementedYet
  end
end
