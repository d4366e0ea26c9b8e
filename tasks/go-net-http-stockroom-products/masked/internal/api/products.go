package api

import (
	"net/http"
)

// createProduct handles POST /products.
func (s *Server) createProduct(w http.ResponseWriter, r *http.Request) {
	// TODO: validate the body, create the product in s.store and answer 201 with it.
	writeError(w, http.StatusNotImplemented, "not_implemented", "POST /products is not implemented")
}

// listProducts handles GET /products?location=&q=.
func (s *Server) listProducts(w http.ResponseWriter, r *http.Request) {
	// TODO: list the products matching the optional filters, ordered by SKU.
	writeError(w, http.StatusNotImplemented, "not_implemented", "GET /products is not implemented")
}

// getProduct handles GET /products/{sku}.
func (s *Server) getProduct(w http.ResponseWriter, r *http.Request) {
	// TODO: answer with the product, or 404.
	writeError(w, http.StatusNotImplemented, "not_implemented", "GET /products/{sku} is not implemented")
}

// updateProduct handles PATCH /products/{sku}: only the fields present change.
func (s *Server) updateProduct(w http.ResponseWriter, r *http.Request) {
	// TODO: validate the present fields and apply them through s.store.Update.
	writeError(w, http.StatusNotImplemented, "not_implemented", "PATCH /products/{sku} is not implemented")
}

// deleteProduct handles DELETE /products/{sku}; a product with stock on hand is kept.
func (s *Server) deleteProduct(w http.ResponseWriter, r *http.Request) {
	// TODO: delete the product unless it still has stock on hand.
	writeError(w, http.StatusNotImplemented, "not_implemented", "DELETE /products/{sku} is not implemented")
}
