class CreateHelpdeskTables < ActiveRecord::Migration[7.2]
  def change
    create_table :customers do |t|
      t.string :name, null: false
      t.string :email, null: false
      t.string :tier, null: false, default: "standard"
      t.timestamps
    end
    add_index :customers, :email, unique: true

    create_table :tickets do |t|
      t.references :customer, null: false, foreign_key: true
      t.string :subject, null: false
      t.text :description, null: false, default: ""
      t.string :priority, null: false, default: "normal"
      t.string :status, null: false, default: "open"
      t.string :assignee
      t.integer :reopen_count, null: false, default: 0
      t.datetime :resolved_at
      t.datetime :closed_at
      t.timestamps
    end
    add_index :tickets, [:status, :priority]

    create_table :comments do |t|
      t.references :ticket, null: false, foreign_key: true
      t.string :author, null: false
      t.text :body, null: false
      t.boolean :internal, null: false, default: false
      t.timestamps
    end
  end
end
