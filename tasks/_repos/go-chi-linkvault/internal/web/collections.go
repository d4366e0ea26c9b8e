package web

import (
	"net/http"
	"strconv"
	"strings"

	"linkvault/internal/model"
)

type collectionView struct {
	model.Collection
	BookmarkCount int `json:"bookmark_count"`
}

type collectionRequest struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

func (h *Handlers) createCollection(w http.ResponseWriter, r *http.Request) {
	var req collectionRequest
	if !decode(w, r, &req) {
		return
	}
	v := &model.Invalid{}
	model.CheckLength(v, "name", req.Name, 1, 60)
	model.CheckLength(v, "description", req.Description, 0, 300)
	if err := v.Err(); err != nil {
		h.fail(w, err)
		return
	}
	c, err := h.repo.CreateCollection(model.Collection{Name: strings.TrimSpace(req.Name), Description: strings.TrimSpace(req.Description)})
	if err != nil {
		h.fail(w, err)
		return
	}
	w.Header().Set("Location", "/collections/"+strconv.FormatInt(c.ID, 10))
	writeJSON(w, http.StatusCreated, collectionView{Collection: c})
}

func (h *Handlers) listCollections(w http.ResponseWriter, r *http.Request) {
	collections, counts := h.repo.Collections()
	views := make([]collectionView, len(collections))
	for i, c := range collections {
		views[i] = collectionView{Collection: c, BookmarkCount: counts[c.ID]}
	}
	writeJSON(w, http.StatusOK, map[string]any{"collections": views, "count": len(views)})
}

func (h *Handlers) getCollection(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "collectionID")
	if !ok {
		return
	}
	c, err := h.repo.Collection(id)
	if err != nil {
		h.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, collectionView{Collection: c, BookmarkCount: h.repo.CountBookmarks(id)})
}

func (h *Handlers) deleteCollection(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "collectionID")
	if !ok {
		return
	}
	if err := h.repo.DeleteCollection(id); err != nil {
		h.fail(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
