# Filters and orders tickets for GET /tickets: most urgent first, then oldest first.
class TicketSearch
  FILTERS = %w[status priority customer_id assignee q].freeze

  def initialize(params)
    @params = params
  end

  def results
    scope = Ticket.includes(:comments)
    scope = scope.where(status: statuses) if statuses
    scope = scope.where(priority: priority) if priority
    scope = scope.where(customer_id: customer_id) if customer_id
    scope = scope.where(assignee: assignee) if assignee
    if (q = @params[:q].to_s.strip).present?
      scope = scope.where("LOWER(subject) LIKE ?", "%#{Ticket.sanitize_sql_like(q.downcase)}%")
    end
    scope.order(Arel.sql(priority_order), :id).to_a
  end

  private

  def statuses
    raw = @params[:status].to_s
    return nil if raw.blank?

    list = raw.split(",").map(&:strip).reject(&:empty?)
    invalid = list - Ticket::STATUSES
    raise Helpdesk::InvalidInput.new({ "status" => ["unknown status: #{invalid.join(', ')}"] }) if invalid.any?

    list
  end

  def priority
    raw = @params[:priority].to_s
    return nil if raw.blank?
    unless Ticket::PRIORITIES.include?(raw)
      raise Helpdesk::InvalidInput.new({ "priority" => ["must be one of #{Ticket::PRIORITIES.join(', ')}"] })
    end

    raw
  end

  def customer_id
    raw = @params[:customer_id]
    return nil if raw.blank?
    raise Helpdesk::InvalidInput.new({ "customer_id" => ["must be a positive integer"] }) unless raw.to_s.match?(/\A[1-9]\d*\z/)

    raw.to_i
  end

  def assignee
    @params[:assignee].to_s.strip.downcase.presence
  end

  def priority_order
    cases = Ticket::PRIORITIES.each_with_index.map { |p, i| "WHEN '#{p}' THEN #{i}" }.join(" ")
    "CASE priority #{cases} ELSE -1 END DESC"
  end
end
