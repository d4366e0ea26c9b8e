# The ticket life cycle. A ticket moves between statuses only along Ticket::TRANSITIONS;
# moving to in_progress needs an assignee, resolving stamps resolved_at, reopening a resolved
# ticket counts a reopen, closing stamps closed_at. An optional note is kept as an internal
# comment.
class TicketWorkflow
  def initialize(ticket)
    @ticket = ticket
  end

  def transition!(to:, assignee: nil, note: nil)
    unless Ticket::STATUSES.include?(to)
      raise Helpdesk::InvalidInput.new({ "status" => ["must be one of #{Ticket::STATUSES.join(', ')}"] })
    end

    from = @ticket.status
    unless @ticket.allowed_transitions.include?(to)
      raise Helpdesk::Conflict.new("a ticket cannot move from #{from} to #{to}",
                                   code: "invalid_transition",
                                   details: { from: from, to: to, allowed: @ticket.allowed_transitions })
    end

    @ticket.assignee = assignee if assignee.present?
    if to == "in_progress" && @ticket.assignee.blank?
      raise Helpdesk::InvalidInput.new({ "assignee" => ["is required to start work on a ticket"] })
    end

    Ticket.transaction do
      apply(from, to)
      @ticket.save!
      if note.present?
        @ticket.comments.create!(author: @ticket.assignee || "system", body: note, internal: true)
      end
    end
    @ticket
  end

  private

  def apply(from, to)
    now = Time.current
    case to
    when "resolved"
      @ticket.resolved_at = now
    when "open"
      if from == "resolved"
        @ticket.reopen_count += 1
        @ticket.resolved_at = nil
      end
    when "closed"
      @ticket.closed_at = now
    end
    @ticket.status = to
  end
end
