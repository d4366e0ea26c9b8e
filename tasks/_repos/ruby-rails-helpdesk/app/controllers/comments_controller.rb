class CommentsController < ApplicationController
  before_action :load_ticket

  # GET /tickets/:ticket_id/comments
  def index
    include_internal = case params[:include_internal].to_s
                       when "", "false" then false
                       when "true" then true
                       else
                         raise Helpdesk::InvalidInput.new({ "include_internal" => ["must be true or false"] })
                       end
    comments = @ticket.comments
    comments = comments.where(internal: false) unless include_internal
    render json: { comments: comments.map(&:as_json), count: comments.size }
  end

  # POST /tickets/:ticket_id/comments
  def create
    if @ticket.closed?
      raise Helpdesk::Conflict.new("ticket #{@ticket.reference} is closed", code: "ticket_closed")
    end

    attrs = permitted(:author, :body, :internal)
    check_types!(attrs, author: :string, body: :string, internal: :boolean)
    attrs["internal"] = false if attrs["internal"].nil?
    comment = @ticket.comments.create!(attrs)
    @ticket.touch
    render json: comment.as_json, status: :created
  end

  private

  def load_ticket
    @ticket = Ticket.find(params[:ticket_id])
  end
end
