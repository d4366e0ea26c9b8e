# frozen_string_literal: true

require_relative "lib/ledger"

use Rack::CommonLogger, $stdout
use Ledger::Middleware::JsonErrors
run Ledger.build_app
