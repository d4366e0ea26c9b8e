class Ticket < ApplicationRecord
  PRIORITIES = %w[low normal high urgent].freeze
  STATUSES = %w[open in_progress waiting resolved closed].freeze
  ACTIVE_STATUSES = %w[open in_progress waiting].freeze

  # status => statuses it may move to
  TRANSITIONS = {
    "open" => %w[in_progress waiting resolved closed],
    "in_progress" => %w[open waiting resolved],
    "waiting" => %w[open in_progress resolved],
    "resolved" => %w[open closed],
    "closed" => []
  }.freeze

  belongs_to :customer
  has_many :comments, -> { order(:id) }, dependent: :delete_all

  normalizes :subject, with: ->(value) { value.strip }
  normalizes :assignee, with: ->(value) { value.strip.downcase.presence }

  validates :subject, presence: true, length: { maximum: 150 }
  validates :description, length: { maximum: 10_000 }
  validates :priority, inclusion: { in: PRIORITIES, message: "must be one of #{PRIORITIES.join(', ')}" }
  validates :status, inclusion: { in: STATUSES, message: "must be one of #{STATUSES.join(', ')}" }
  validates :assignee, length: { maximum: 254 },
                       format: { with: /\A[^@\s]+@[^@\s]+\.[^@\s]+\z/, message: "is not an email address" },
                       allow_nil: true

  scope :active, -> { where(status: ACTIVE_STATUSES) }

  def self.priority_rank(priority)
    PRIORITIES.index(priority) || -1
  end

  def reference
    format("HD-%06d", id)
  end

  def closed?
    status == "closed"
  end

  def allowed_transitions
    TRANSITIONS.fetch(status, [])
  end

  def as_json(options = {})
    data = {
      id: id,
      reference: reference,
      customer_id: customer_id,
      subject: subject,
      description: description,
      priority: priority,
      status: status,
      assignee: assignee,
      reopen_count: reopen_count,
      resolved_at: resolved_at&.iso8601(3),
      closed_at: closed_at&.iso8601(3),
      comments_count: comments.size,
      created_at: created_at&.iso8601(3),
      updated_at: updated_at&.iso8601(3)
    }
    data[:comments] = comments.map(&:as_json) if options[:include_comments]
    data
  end
end
