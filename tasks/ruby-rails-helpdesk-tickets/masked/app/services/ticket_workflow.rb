# The ticket life cycle: moves a ticket between statuses along Ticket::TRANSITIONS.
class TicketWorkflow
  def initialize(ticket)
    @ticket = ticket
  end

  # Returns the updated ticket.
  def transition!(to:, assignee: nil, note: nil)
    raise Helpdesk::NotImplementedYet
  end
end
