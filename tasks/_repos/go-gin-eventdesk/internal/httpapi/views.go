package httpapi

import (
	"time"

	"eventdesk/internal/domain"
	"eventdesk/internal/store"
)

// EventView is the JSON representation of an event with its seat counts.
type EventView struct {
	ID             int64    `json:"id"`
	Title          string   `json:"title"`
	Venue          string   `json:"venue"`
	StartsAt       string   `json:"starts_at"`
	Capacity       int      `json:"capacity"`
	Tags           []string `json:"tags"`
	ConfirmedCount int      `json:"confirmed_count"`
	WaitlistCount  int      `json:"waitlist_count"`
	SeatsLeft      int      `json:"seats_left"`
}

// RegistrationView is the JSON representation of a registration.
type RegistrationView struct {
	ID      int64  `json:"id"`
	EventID int64  `json:"event_id"`
	Name    string `json:"name"`
	Email   string `json:"email"`
	Status  string `json:"status"`
}

func eventView(tx *store.Tx, e *domain.Event) EventView {
	confirmed, waitlisted := tx.Counts(e.ID)
	tags := e.Tags
	if tags == nil {
		tags = []string{}
	}
	left := e.Capacity - confirmed
	if left < 0 {
		left = 0
	}
	return EventView{
		ID: e.ID, Title: e.Title, Venue: e.Venue,
		StartsAt: e.StartsAt.UTC().Format(time.RFC3339),
		Capacity: e.Capacity, Tags: tags,
		ConfirmedCount: confirmed, WaitlistCount: waitlisted, SeatsLeft: left,
	}
}

func registrationView(r *domain.Registration) RegistrationView {
	return RegistrationView{ID: r.ID, EventID: r.EventID, Name: r.Name, Email: r.Email, Status: r.Status}
}
