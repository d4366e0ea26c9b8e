package web

import (
	"net/http"
)

// createBookmark handles POST /collections/{collectionID}/bookmarks.
func (h *Handlers) createBookmark(w http.ResponseWriter, r *http.Request) {
	// TODO: implement (see the task instruction).
	writeError(w, http.StatusNotImplemented, "not_implemented", "creating bookmarks is not implemented")
}

// listCollectionBookmarks handles GET /collections/{collectionID}/bookmarks?tag=.
func (h *Handlers) listCollectionBookmarks(w http.ResponseWriter, r *http.Request) {
	// TODO: implement (see the task instruction).
	writeError(w, http.StatusNotImplemented, "not_implemented", "listing a collection's bookmarks is not implemented")
}

// getBookmark handles GET /bookmarks/{bookmarkID}.
func (h *Handlers) getBookmark(w http.ResponseWriter, r *http.Request) {
	// TODO: implement (see the task instruction).
	writeError(w, http.StatusNotImplemented, "not_implemented", "GET /bookmarks/{bookmarkID} is not implemented")
}

// updateBookmark handles PATCH /bookmarks/{bookmarkID}.
func (h *Handlers) updateBookmark(w http.ResponseWriter, r *http.Request) {
	// TODO: implement (see the task instruction).
	writeError(w, http.StatusNotImplemented, "not_implemented", "PATCH /bookmarks/{bookmarkID} is not implemented")
}

// deleteBookmark handles DELETE /bookmarks/{bookmarkID}.
func (h *Handlers) deleteBookmark(w http.ResponseWriter, r *http.Request) {
	// TODO: implement (see the task instruction).
	writeError(w, http.StatusNotImplemented, "not_implemented", "DELETE /bookmarks/{bookmarkID} is not implemented")
}
