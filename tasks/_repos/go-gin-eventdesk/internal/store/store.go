// Package store keeps events and registrations in memory. All access goes through Do, which
// runs a function with exclusive access so that multi-step changes (seat checks, waitlist
// promotion) are atomic.
package store

import (
	"errors"
	"sort"
	"sync"

	"eventdesk/internal/domain"
)

var (
	// ErrEventNotFound is returned for an unknown event id.
	ErrEventNotFound = errors.New("event not found")
	// ErrRegistrationNotFound is returned for an unknown registration id of an event.
	ErrRegistrationNotFound = errors.New("registration not found")
)

// Store is the in-memory repository. The zero value is not usable; call New.
type Store struct {
	mu         sync.Mutex
	events     map[int64]*domain.Event
	regs       map[int64][]*domain.Registration
	nextEvent  int64
	nextRegist int64
}

// New returns an empty store.
func New() *Store {
	return &Store{
		events:     map[int64]*domain.Event{},
		regs:       map[int64][]*domain.Registration{},
		nextEvent:  1,
		nextRegist: 1,
	}
}

// Tx is exclusive access to the store for the duration of one Do call. Values it returns
// are the stored records: changing them changes the store.
type Tx struct{ s *Store }

// Do runs fn with exclusive access to the store.
func (s *Store) Do(fn func(tx *Tx) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fn(&Tx{s: s})
}

// Event returns the stored event with the given id.
func (tx *Tx) Event(id int64) (*domain.Event, error) {
	e, ok := tx.s.events[id]
	if !ok {
		return nil, ErrEventNotFound
	}
	return e, nil
}

// Events returns every event ordered by start time, then id.
func (tx *Tx) Events() []*domain.Event {
	out := make([]*domain.Event, 0, len(tx.s.events))
	for _, e := range tx.s.events {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].StartsAt.Equal(out[j].StartsAt) {
			return out[i].StartsAt.Before(out[j].StartsAt)
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// InsertEvent stores a new event and assigns its id.
func (tx *Tx) InsertEvent(e *domain.Event) {
	e.ID = tx.s.nextEvent
	tx.s.nextEvent++
	tx.s.events[e.ID] = e
}

// DeleteEvent removes an event together with its registrations.
func (tx *Tx) DeleteEvent(id int64) error {
	if _, ok := tx.s.events[id]; !ok {
		return ErrEventNotFound
	}
	delete(tx.s.events, id)
	delete(tx.s.regs, id)
	return nil
}

// Registrations returns an event's registrations in arrival (id) order.
func (tx *Tx) Registrations(eventID int64) []*domain.Registration {
	regs := tx.s.regs[eventID]
	out := make([]*domain.Registration, len(regs))
	copy(out, regs)
	return out
}

// InsertRegistration stores a registration for r.EventID and assigns its id.
func (tx *Tx) InsertRegistration(r *domain.Registration) error {
	if _, ok := tx.s.events[r.EventID]; !ok {
		return ErrEventNotFound
	}
	r.ID = tx.s.nextRegist
	tx.s.nextRegist++
	tx.s.regs[r.EventID] = append(tx.s.regs[r.EventID], r)
	return nil
}

// DeleteRegistration removes one registration of an event and returns it.
func (tx *Tx) DeleteRegistration(eventID, regID int64) (*domain.Registration, error) {
	if _, ok := tx.s.events[eventID]; !ok {
		return nil, ErrEventNotFound
	}
	regs := tx.s.regs[eventID]
	for i, r := range regs {
		if r.ID == regID {
			tx.s.regs[eventID] = append(regs[:i:i], regs[i+1:]...)
			return r, nil
		}
	}
	return nil, ErrRegistrationNotFound
}

// Counts returns the number of confirmed and waitlisted registrations of an event.
func (tx *Tx) Counts(eventID int64) (confirmed, waitlisted int) {
	for _, r := range tx.s.regs[eventID] {
		if r.Status == domain.StatusConfirmed {
			confirmed++
		} else {
			waitlisted++
		}
	}
	return confirmed, waitlisted
}
