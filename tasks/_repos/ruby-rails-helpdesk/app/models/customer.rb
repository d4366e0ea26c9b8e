class Customer < ApplicationRecord
  TIERS = %w[standard premium enterprise].freeze

  has_many :tickets, dependent: :restrict_with_exception

  normalizes :name, with: ->(value) { value.strip }
  normalizes :email, with: ->(value) { value.strip.downcase }

  validates :name, presence: true, length: { maximum: 100 }
  validates :email, presence: true, length: { maximum: 254 },
                    format: { with: /\A[^@\s]+@[^@\s]+\.[^@\s]+\z/, message: "is not an email address" }
  validates :tier, inclusion: { in: TIERS, message: "must be one of #{TIERS.join(', ')}" }

  def open_tickets_count
    tickets.where(status: Ticket::ACTIVE_STATUSES).count
  end

  def as_json(*)
    {
      id: id,
      name: name,
      email: email,
      tier: tier,
      open_tickets: open_tickets_count,
      created_at: created_at&.iso8601(3),
      updated_at: updated_at&.iso8601(3)
    }
  end
end
