# This file is auto-generated from the current state of the database. Instead
# of editing this file, please use the migrations feature of Active Record to
# incrementally modify your database, and then regenerate this schema definition.

ActiveRecord::Schema[7.2].define(version: 2025_01_01_000000) do
  create_table "comments", force: :cascade do |t|
    t.integer "ticket_id", null: false
    t.string "author", null: false
    t.text "body", null: false
    t.boolean "internal", default: false, null: false
    t.datetime "created_at", null: false
    t.datetime "updated_at", null: false
    t.index ["ticket_id"], name: "index_comments_on_ticket_id"
  end

  create_table "customers", force: :cascade do |t|
    t.string "name", null: false
    t.string "email", null: false
    t.string "tier", default: "standard", null: false
    t.datetime "created_at", null: false
    t.datetime "updated_at", null: false
    t.index ["email"], name: "index_customers_on_email", unique: true
  end

  create_table "tickets", force: :cascade do |t|
    t.integer "customer_id", null: false
    t.string "subject", null: false
    t.text "description", default: "", null: false
    t.string "priority", default: "normal", null: false
    t.string "status", default: "open", null: false
    t.string "assignee"
    t.integer "reopen_count", default: 0, null: false
    t.datetime "resolved_at"
    t.datetime "closed_at"
    t.datetime "created_at", null: false
    t.datetime "updated_at", null: false
    t.index ["customer_id"], name: "index_tickets_on_customer_id"
    t.index ["status", "priority"], name: "index_tickets_on_status_and_priority"
  end

  add_foreign_key "comments", "tickets"
  add_foreign_key "tickets", "customers"
end
