class CustomersController < ApplicationController
  before_action :load_customer, only: %i[show update destroy]

  # GET /customers
  def index
    customers = Customer.order(:id)
    if (tier = params[:tier]).present?
      unless Customer::TIERS.include?(tier)
        raise Helpdesk::InvalidInput.new({ "tier" => ["must be one of #{Customer::TIERS.join(', ')}"] })
      end

      customers = customers.where(tier: tier)
    end
    if (q = params[:q].to_s.strip.downcase).present?
      pattern = "%#{Customer.sanitize_sql_like(q)}%"
      customers = customers.where("LOWER(name) LIKE :p OR email LIKE :p", p: pattern)
    end
    list = customers.to_a
    render json: { customers: list.map(&:as_json), count: list.size }
  end

  # GET /customers/:id
  def show
    render json: @customer.as_json
  end

  # POST /customers
  def create
    attrs = permitted(:name, :email, :tier)
    check_types!(attrs, name: :string, email: :string, tier: :string)
    customer = Customer.new(attrs)
    customer.tier ||= "standard"
    customer.validate!
    ensure_email_free!(customer)
    customer.save!
    render json: customer.as_json, status: :created
  end

  # PATCH /customers/:id
  def update
    attrs = permitted(:name, :email, :tier)
    check_types!(attrs, name: :string, email: :string, tier: :string)
    @customer.assign_attributes(attrs)
    @customer.validate!
    ensure_email_free!(@customer)
    @customer.save!
    render json: @customer.as_json
  end

  # DELETE /customers/:id
  def destroy
    active = @customer.open_tickets_count
    if active.positive?
      raise Helpdesk::Conflict.new("customer #{@customer.id} still has open tickets",
                                   details: { open_tickets: active })
    end

    Customer.transaction do
      @customer.tickets.each(&:destroy!)
      @customer.delete
    end
    head :no_content
  end

  private

  def load_customer
    @customer = Customer.find(params[:id])
  end

  def ensure_email_free!(customer)
    taken = Customer.where(email: customer.email).where.not(id: customer.id).exists?
    raise Helpdesk::Conflict.new("a customer with email #{customer.email} already exists") if taken
  end
end
