package web

import (
	"net/http"
	"strconv"
	"strings"

	"linkvault/internal/model"
)

type createBookmarkRequest struct {
	URL   string   `json:"url"`
	Title string   `json:"title"`
	Tags  []string `json:"tags"`
}

type updateBookmarkRequest struct {
	Title        *string   `json:"title"`
	Tags         *[]string `json:"tags"`
	CollectionID *int64    `json:"collection_id"`
}

// createBookmark handles POST /collections/{collectionID}/bookmarks.
func (h *Handlers) createBookmark(w http.ResponseWriter, r *http.Request) {
	collectionID, ok := pathID(w, r, "collectionID")
	if !ok {
		return
	}
	var req createBookmarkRequest
	if !decode(w, r, &req) {
		return
	}
	v := &model.Invalid{}
	canonical, host := model.NormalizeURL(v, req.URL)
	model.CheckLength(v, "title", req.Title, 0, 200)
	tags := model.NormalizeTags(v, req.Tags)
	if err := v.Err(); err != nil {
		h.fail(w, err)
		return
	}
	title := strings.TrimSpace(req.Title)
	if title == "" {
		title = host
	}
	b, err := h.repo.CreateBookmark(model.Bookmark{CollectionID: collectionID, URL: canonical, Title: title, Tags: tags})
	if err != nil {
		h.fail(w, err)
		return
	}
	w.Header().Set("Location", "/bookmarks/"+strconv.FormatInt(b.ID, 10))
	writeJSON(w, http.StatusCreated, b)
}

// listCollectionBookmarks handles GET /collections/{collectionID}/bookmarks?tag=.
func (h *Handlers) listCollectionBookmarks(w http.ResponseWriter, r *http.Request) {
	collectionID, ok := pathID(w, r, "collectionID")
	if !ok {
		return
	}
	if _, err := h.repo.Collection(collectionID); err != nil {
		h.fail(w, err)
		return
	}
	tag := strings.ToLower(strings.TrimSpace(r.URL.Query().Get("tag")))
	found := h.repo.Bookmarks(func(b model.Bookmark) bool {
		return b.CollectionID == collectionID && (tag == "" || contains(b.Tags, tag))
	})
	writeJSON(w, http.StatusOK, map[string]any{"bookmarks": found, "count": len(found)})
}

// getBookmark handles GET /bookmarks/{bookmarkID}.
func (h *Handlers) getBookmark(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "bookmarkID")
	if !ok {
		return
	}
	b, err := h.repo.Bookmark(id)
	if err != nil {
		h.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, b)
}

// updateBookmark handles PATCH /bookmarks/{bookmarkID}: retitle, retag or move a bookmark.
func (h *Handlers) updateBookmark(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "bookmarkID")
	if !ok {
		return
	}
	var req updateBookmarkRequest
	if !decode(w, r, &req) {
		return
	}
	v := &model.Invalid{}
	var tags []string
	if req.Title != nil {
		model.CheckLength(v, "title", *req.Title, 1, 200)
	}
	if req.Tags != nil {
		tags = model.NormalizeTags(v, *req.Tags)
	}
	if req.CollectionID != nil && *req.CollectionID < 1 {
		v.Reject("collection_id", "must be a positive integer")
	}
	if err := v.Err(); err != nil {
		h.fail(w, err)
		return
	}
	b, err := h.repo.UpdateBookmark(id, func(b *model.Bookmark) {
		if req.Title != nil {
			b.Title = strings.TrimSpace(*req.Title)
		}
		if req.Tags != nil {
			b.Tags = tags
		}
		if req.CollectionID != nil {
			b.CollectionID = *req.CollectionID
		}
	})
	if err != nil {
		h.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, b)
}

// deleteBookmark handles DELETE /bookmarks/{bookmarkID}.
func (h *Handlers) deleteBookmark(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "bookmarkID")
	if !ok {
		return
	}
	if err := h.repo.DeleteBookmark(id); err != nil {
		h.fail(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
