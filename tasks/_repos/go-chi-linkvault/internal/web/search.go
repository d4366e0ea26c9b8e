package web

import (
	"net/http"
	"sort"
	"strings"

	"linkvault/internal/model"
)

// searchBookmarks handles GET /bookmarks?q=&tag=: every collection, ordered by id.
func (h *Handlers) searchBookmarks(w http.ResponseWriter, r *http.Request) {
	q := strings.ToLower(strings.TrimSpace(r.URL.Query().Get("q")))
	tag := strings.ToLower(strings.TrimSpace(r.URL.Query().Get("tag")))
	found := h.repo.Bookmarks(func(b model.Bookmark) bool {
		if tag != "" && !contains(b.Tags, tag) {
			return false
		}
		return q == "" || strings.Contains(strings.ToLower(b.Title), q) || strings.Contains(strings.ToLower(b.URL), q)
	})
	writeJSON(w, http.StatusOK, map[string]any{"bookmarks": found, "count": len(found)})
}

type tagCount struct {
	Tag   string `json:"tag"`
	Count int    `json:"count"`
}

// listTags handles GET /tags: every tag in use with its number of bookmarks, most used first.
func (h *Handlers) listTags(w http.ResponseWriter, r *http.Request) {
	counts := map[string]int{}
	for _, b := range h.repo.Bookmarks(nil) {
		for _, t := range b.Tags {
			counts[t]++
		}
	}
	tags := make([]tagCount, 0, len(counts))
	for t, n := range counts {
		tags = append(tags, tagCount{Tag: t, Count: n})
	}
	sort.Slice(tags, func(i, j int) bool {
		if tags[i].Count != tags[j].Count {
			return tags[i].Count > tags[j].Count
		}
		return tags[i].Tag < tags[j].Tag
	})
	writeJSON(w, http.StatusOK, map[string]any{"tags": tags})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
