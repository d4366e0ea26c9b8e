class TicketsController < ApplicationController
  before_action :load_ticket, only: %i[show update transition]

  # GET /tickets
  def index
    tickets = TicketSearch.new(params).results
    render json: { tickets: tickets.map(&:as_json), count: tickets.size }
  end

  # GET /tickets/:id
  def show
    render json: @ticket.as_json(include_comments: true)
  end

  # POST /tickets
  def create
    attrs = permitted(:customer_id, :subject, :description, :priority, :assignee)
    check_types!(attrs, customer_id: :integer, subject: :string, description: :string,
                        priority: :string, assignee: :string)
    customer_id = attrs.delete("customer_id")
    customer = customer_id && Customer.find_by(id: customer_id)

    ticket = Ticket.new(attrs.merge("status" => "open"))
    ticket.description ||= ""
    ticket.priority ||= "normal"
    ticket.customer = customer
    ticket.validate
    if customer.nil?
      ticket.errors.delete(:customer)
      ticket.errors.add(:customer_id, customer_id.nil? ? "is required" : "does not exist")
    end
    raise ActiveRecord::RecordInvalid, ticket if ticket.errors.any?

    ticket.save!
    render json: ticket.as_json, status: :created
  end

  # PATCH /tickets/:id
  def update
    ensure_open!
    attrs = permitted(:subject, :description, :priority, :assignee)
    check_types!(attrs, subject: :string, description: :string, priority: :string, assignee: :string)
    @ticket.assign_attributes(attrs)
    if @ticket.status == "in_progress" && @ticket.assignee.blank?
      raise Helpdesk::InvalidInput.new({ "assignee" => ["is required while the ticket is in progress"] })
    end

    @ticket.save!
    render json: @ticket.as_json
  end

  # POST /tickets/:id/transition
  def transition
    data = permitted(:status, :assignee, :note)
    check_types!(data, status: :string, assignee: :string, note: :string)
    raise Helpdesk::InvalidInput.new({ "status" => ["is required"] }) if data["status"].blank?

    TicketWorkflow.new(@ticket).transition!(to: data["status"], assignee: data["assignee"], note: data["note"])
    render json: @ticket.reload.as_json(include_comments: true)
  end

  private

  def load_ticket
    @ticket = Ticket.find(params[:id])
  end

  def ensure_open!
    raise Helpdesk::Conflict.new("ticket #{@ticket.reference} is closed", code: "ticket_closed") if @ticket.closed?
  end
end
