// Package repo is linkvault's storage layer: collections and bookmarks kept in memory behind
// a read-write mutex. Callers get copies; changes go through the methods below.
package repo

import (
	"errors"
	"sort"
	"strings"
	"sync"

	"linkvault/internal/model"
)

var (
	ErrCollectionNotFound = errors.New("collection not found")
	ErrBookmarkNotFound   = errors.New("bookmark not found")
	ErrDuplicateURL       = errors.New("the collection already holds a bookmark with this URL")
	ErrCollectionNotEmpty = errors.New("collection still holds bookmarks")
	ErrDuplicateName      = errors.New("a collection with this name already exists")
)

// Memory is the in-memory repository.
type Memory struct {
	mu          sync.RWMutex
	collections map[int64]model.Collection
	bookmarks   map[int64]model.Bookmark
	nextColl    int64
	nextMark    int64
}

// NewMemory returns an empty repository.
func NewMemory() *Memory {
	return &Memory{
		collections: map[int64]model.Collection{},
		bookmarks:   map[int64]model.Bookmark{},
		nextColl:    1,
		nextMark:    1,
	}
}

func cloneBookmark(b model.Bookmark) model.Bookmark {
	b.Tags = append([]string{}, b.Tags...)
	return b
}

// CreateCollection stores a collection (names are unique, case-insensitively).
func (m *Memory) CreateCollection(c model.Collection) (model.Collection, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, other := range m.collections {
		if strings.EqualFold(other.Name, c.Name) {
			return model.Collection{}, ErrDuplicateName
		}
	}
	c.ID = m.nextColl
	m.nextColl++
	m.collections[c.ID] = c
	return c, nil
}

// Collection returns one collection.
func (m *Memory) Collection(id int64) (model.Collection, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	c, ok := m.collections[id]
	if !ok {
		return model.Collection{}, ErrCollectionNotFound
	}
	return c, nil
}

// Collections returns every collection ordered by id, with its bookmark count.
func (m *Memory) Collections() ([]model.Collection, map[int64]int) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]model.Collection, 0, len(m.collections))
	for _, c := range m.collections {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	counts := map[int64]int{}
	for _, b := range m.bookmarks {
		counts[b.CollectionID]++
	}
	return out, counts
}

// CountBookmarks returns how many bookmarks a collection holds.
func (m *Memory) CountBookmarks(collectionID int64) int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	n := 0
	for _, b := range m.bookmarks {
		if b.CollectionID == collectionID {
			n++
		}
	}
	return n
}

// DeleteCollection removes an empty collection.
func (m *Memory) DeleteCollection(id int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.collections[id]; !ok {
		return ErrCollectionNotFound
	}
	for _, b := range m.bookmarks {
		if b.CollectionID == id {
			return ErrCollectionNotEmpty
		}
	}
	delete(m.collections, id)
	return nil
}

// urlTaken reports whether another bookmark of the collection has the URL; callers hold mu.
func (m *Memory) urlTaken(collectionID int64, url string, except int64) bool {
	for _, b := range m.bookmarks {
		if b.CollectionID == collectionID && b.URL == url && b.ID != except {
			return true
		}
	}
	return false
}

// CreateBookmark stores a bookmark in its collection; URLs are unique per collection.
func (m *Memory) CreateBookmark(b model.Bookmark) (model.Bookmark, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.collections[b.CollectionID]; !ok {
		return model.Bookmark{}, ErrCollectionNotFound
	}
	if m.urlTaken(b.CollectionID, b.URL, 0) {
		return model.Bookmark{}, ErrDuplicateURL
	}
	b.ID = m.nextMark
	m.nextMark++
	m.bookmarks[b.ID] = cloneBookmark(b)
	return cloneBookmark(b), nil
}

// Bookmark returns one bookmark.
func (m *Memory) Bookmark(id int64) (model.Bookmark, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	b, ok := m.bookmarks[id]
	if !ok {
		return model.Bookmark{}, ErrBookmarkNotFound
	}
	return cloneBookmark(b), nil
}

// Bookmarks returns the bookmarks accepted by keep (nil keeps all), ordered by id.
func (m *Memory) Bookmarks(keep func(model.Bookmark) bool) []model.Bookmark {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := []model.Bookmark{}
	for _, b := range m.bookmarks {
		if keep == nil || keep(b) {
			out = append(out, cloneBookmark(b))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// UpdateBookmark applies change to a copy of the bookmark and stores it, checking that the
// (possibly new) collection exists and that its URL stays unique there.
func (m *Memory) UpdateBookmark(id int64, change func(*model.Bookmark)) (model.Bookmark, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.bookmarks[id]
	if !ok {
		return model.Bookmark{}, ErrBookmarkNotFound
	}
	b = cloneBookmark(b)
	change(&b)
	b.ID = id
	if _, ok := m.collections[b.CollectionID]; !ok {
		return model.Bookmark{}, ErrCollectionNotFound
	}
	if m.urlTaken(b.CollectionID, b.URL, id) {
		return model.Bookmark{}, ErrDuplicateURL
	}
	m.bookmarks[id] = b
	return cloneBookmark(b), nil
}

// DeleteBookmark removes a bookmark.
func (m *Memory) DeleteBookmark(id int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.bookmarks[id]; !ok {
		return ErrBookmarkNotFound
	}
	delete(m.bookmarks, id)
	return nil
}
