// Package web is linkvault's HTTP layer, routed with chi.
package web

import (
	"log"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"linkvault/internal/repo"
)

// Handlers holds the dependencies of the HTTP handlers.
type Handlers struct {
	repo *repo.Memory
	log  *log.Logger
}

// NewRouter returns the service's routes.
func NewRouter(r *repo.Memory, logger *log.Logger) http.Handler {
	h := &Handlers{repo: r, log: logger}
	mux := chi.NewRouter()
	mux.Use(middleware.RequestID)
	mux.Use(middleware.RequestLogger(&middleware.DefaultLogFormatter{Logger: logger, NoColor: true}))
	mux.Use(middleware.Recoverer)
	mux.Use(middleware.Timeout(10 * time.Second))

	mux.NotFound(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "not_found", "no route for "+r.Method+" "+r.URL.Path)
	})
	mux.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", r.Method+" is not allowed on "+r.URL.Path)
	})

	mux.Get("/health", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})

	mux.Route("/collections", func(cr chi.Router) {
		cr.Post("/", h.createCollection)
		cr.Get("/", h.listCollections)
		cr.Route("/{collectionID}", func(one chi.Router) {
			one.Get("/", h.getCollection)
			one.Delete("/", h.deleteCollection)
			one.Post("/bookmarks", h.createBookmark)
			one.Get("/bookmarks", h.listCollectionBookmarks)
		})
	})
	mux.Route("/bookmarks", func(br chi.Router) {
		br.Get("/", h.searchBookmarks)
		br.Get("/{bookmarkID}", h.getBookmark)
		br.Patch("/{bookmarkID}", h.updateBookmark)
		br.Delete("/{bookmarkID}", h.deleteBookmark)
	})
	mux.Get("/tags", h.listTags)
	return mux
}
