package api

import (
	"net/http"
)

// recordMovement handles POST /products/{sku}/movements.
func (s *Server) recordMovement(w http.ResponseWriter, r *http.Request) {
	// TODO: validate the movement and apply it atomically through s.store.Record.
	writeError(w, http.StatusNotImplemented, "not_implemented", "POST /products/{sku}/movements is not implemented")
}

// listMovements handles GET /products/{sku}/movements?type=.
func (s *Server) listMovements(w http.ResponseWriter, r *http.Request) {
	// TODO: answer with the product's ledger, oldest first, optionally filtered by type.
	writeError(w, http.StatusNotImplemented, "not_implemented", "GET /products/{sku}/movements is not implemented")
}

// lowStockReport handles GET /reports/low-stock?location=.
func (s *Server) lowStockReport(w http.ResponseWriter, r *http.Request) {
	// TODO: products at or below their reorder level, largest shortfall first.
	writeError(w, http.StatusNotImplemented, "not_implemented", "GET /reports/low-stock is not implemented")
}

// stockValueReport handles GET /reports/stock-value?location=.
func (s *Server) stockValueReport(w http.ResponseWriter, r *http.Request) {
	// TODO: units and value of the stock on hand.
	writeError(w, http.StatusNotImplemented, "not_implemented", "GET /reports/stock-value is not implemented")
}
