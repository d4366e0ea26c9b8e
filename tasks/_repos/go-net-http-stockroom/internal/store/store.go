// Package store persists products and their stock movements. Everything is kept in memory
// behind a mutex; when a data file is configured, every change is written through to it as
// a JSON snapshot, which is loaded again at start-up.
package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"stockroom/internal/model"
)

var (
	// ErrNotFound is returned when no product has the requested SKU.
	ErrNotFound = errors.New("product not found")
	// ErrExists is returned when creating a product whose SKU is taken.
	ErrExists = errors.New("product already exists")
)

type snapshot struct {
	Products       []model.Product  `json:"products"`
	Movements      []model.Movement `json:"movements"`
	NextMovementID int64            `json:"next_movement_id"`
}

// Store is the repository of products and movements. It is safe for concurrent use.
type Store struct {
	mu        sync.RWMutex
	path      string
	products  map[string]model.Product
	movements map[string][]model.Movement
	nextID    int64
}

// Open returns a store backed by the JSON file at path ("" keeps data in memory only).
func Open(path string) (*Store, error) {
	s := &Store{
		path:      path,
		products:  map[string]model.Product{},
		movements: map[string][]model.Movement{},
		nextID:    1,
	}
	if path == "" {
		return s, nil
	}
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read data file: %w", err)
	}
	var snap snapshot
	if err := json.Unmarshal(raw, &snap); err != nil {
		return nil, fmt.Errorf("parse data file %s: %w", path, err)
	}
	for _, p := range snap.Products {
		s.products[p.SKU] = p
	}
	for _, m := range snap.Movements {
		s.movements[m.SKU] = append(s.movements[m.SKU], m)
	}
	if snap.NextMovementID > 0 {
		s.nextID = snap.NextMovementID
	}
	return s, nil
}

// persist writes the snapshot atomically; callers hold the write lock.
func (s *Store) persist() error {
	if s.path == "" {
		return nil
	}
	snap := snapshot{NextMovementID: s.nextID}
	for _, p := range s.products {
		snap.Products = append(snap.Products, p)
	}
	sort.Slice(snap.Products, func(i, j int) bool { return snap.Products[i].SKU < snap.Products[j].SKU })
	for _, ms := range s.movements {
		snap.Movements = append(snap.Movements, ms...)
	}
	sort.Slice(snap.Movements, func(i, j int) bool { return snap.Movements[i].ID < snap.Movements[j].ID })
	raw, err := json.Marshal(snap)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.path), ".stockroom-*.json")
	if err != nil {
		return fmt.Errorf("write data file: %w", err)
	}
	if _, err := tmp.Write(raw); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("write data file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), s.path)
}

// Create adds a new product; ErrExists if the SKU is taken.
func (s *Store) Create(p model.Product) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.products[p.SKU]; ok {
		return ErrExists
	}
	s.products[p.SKU] = p
	return s.persist()
}

// Get returns the product with the given SKU.
func (s *Store) Get(sku string) (model.Product, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	p, ok := s.products[sku]
	if !ok {
		return model.Product{}, ErrNotFound
	}
	return p, nil
}

// List returns every product for which keep returns true (nil keeps all), ordered by SKU.
func (s *Store) List(keep func(model.Product) bool) []model.Product {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]model.Product, 0, len(s.products))
	for _, p := range s.products {
		if keep == nil || keep(p) {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].SKU < out[j].SKU })
	return out
}

// Update applies change to a copy of the product under the write lock and stores the result
// unless change returns an error. The SKU cannot be changed.
func (s *Store) Update(sku string, change func(*model.Product) error) (model.Product, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.products[sku]
	if !ok {
		return model.Product{}, ErrNotFound
	}
	if err := change(&p); err != nil {
		return model.Product{}, err
	}
	p.SKU = sku
	s.products[sku] = p
	return p, s.persist()
}

// Delete removes a product and its ledger if allow (when non-nil) accepts it.
func (s *Store) Delete(sku string, allow func(model.Product) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.products[sku]
	if !ok {
		return ErrNotFound
	}
	if allow != nil {
		if err := allow(p); err != nil {
			return err
		}
	}
	delete(s.products, sku)
	delete(s.movements, sku)
	return s.persist()
}

// Record applies a stock movement atomically: apply receives the current product and
// returns the movement to record (with Delta set) or an error that aborts the change. The
// store assigns the movement ID, sets BalanceAfter and updates the product's quantity.
func (s *Store) Record(sku string, apply func(model.Product) (model.Movement, error)) (model.Movement, model.Product, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.products[sku]
	if !ok {
		return model.Movement{}, model.Product{}, ErrNotFound
	}
	m, err := apply(p)
	if err != nil {
		return model.Movement{}, model.Product{}, err
	}
	p.Quantity += m.Delta
	m.ID = s.nextID
	m.SKU = sku
	m.BalanceAfter = p.Quantity
	s.nextID++
	s.products[sku] = p
	s.movements[sku] = append(s.movements[sku], m)
	return m, p, s.persist()
}

// Movements returns the ledger of a product, oldest first.
func (s *Store) Movements(sku string) ([]model.Movement, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if _, ok := s.products[sku]; !ok {
		return nil, ErrNotFound
	}
	out := make([]model.Movement, len(s.movements[sku]))
	copy(out, s.movements[sku])
	return out, nil
}
