class Comment < ApplicationRecord
  belongs_to :ticket

  normalizes :author, with: ->(value) { value.strip }

  validates :author, presence: true, length: { maximum: 100 }
  validates :body, presence: true, length: { maximum: 5_000 }
  validates :internal, inclusion: { in: [true, false], message: "must be true or false" }

  def as_json(*)
    {
      id: id,
      ticket_id: ticket_id,
      author: author,
      body: body,
      internal: internal,
      created_at: created_at&.iso8601(3)
    }
  end
end
