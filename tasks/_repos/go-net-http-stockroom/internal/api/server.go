// Package api exposes the stockroom over HTTP with the standard library's ServeMux.
package api

import (
	"log"
	"net/http"
	"time"

	"stockroom/internal/store"
)

// Server holds the dependencies of the HTTP handlers.
type Server struct {
	store *store.Store
	log   *log.Logger
}

// New returns a Server using the given store.
func New(st *store.Store, logger *log.Logger) *Server {
	return &Server{store: st, log: logger}
}

// Handler returns the routed, logged HTTP handler of the service.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", s.health)

	mux.HandleFunc("POST /products", s.createProduct)
	mux.HandleFunc("GET /products", s.listProducts)
	mux.HandleFunc("GET /products/{sku}", s.getProduct)
	mux.HandleFunc("PATCH /products/{sku}", s.updateProduct)
	mux.HandleFunc("DELETE /products/{sku}", s.deleteProduct)

	mux.HandleFunc("POST /products/{sku}/movements", s.recordMovement)
	mux.HandleFunc("GET /products/{sku}/movements", s.listMovements)
	mux.HandleFunc("GET /reports/low-stock", s.lowStockReport)
	mux.HandleFunc("GET /reports/stock-value", s.stockValueReport)

	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "not_found", "no route for "+r.Method+" "+r.URL.Path)
	})
	return s.logRequests(mux)
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			if p := recover(); p != nil {
				s.log.Printf("panic serving %s %s: %v", r.Method, r.URL.Path, p)
				writeError(rec, http.StatusInternalServerError, "internal", "internal server error")
			}
			s.log.Printf("%s %s %d %s", r.Method, r.URL.RequestURI(), rec.status, time.Since(start).Round(time.Microsecond))
		}()
		next.ServeHTTP(rec, r)
	})
}
