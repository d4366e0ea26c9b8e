class CustomersController < ApplicationController
  # GET /customers
  def index
    raise Helpdesk::NotImplementedYet
  end

  # GET /customers/:id
  def show
    raise Helpdesk::NotImplementedYet
  end

  # POST /customers
  def create
    raise Helpdesk::NotImplementedYet
  end

  # PATCH /customers/:id
  def update
    raise Helpdesk::NotImplementedYet
  end

  # DELETE /customers/:id
  def destroy
    raise Helpdesk::NotImplementedYet
  end
end
