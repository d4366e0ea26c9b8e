# Filters and orders tickets for GET /tickets: most urgent first, then oldest first.
class TicketSearch
  def initialize(params)
    @params = params
  end

  # Returns the matching tickets as an array.
  def results
    raise Helpdesk::NotImplementedYet
  end
end
