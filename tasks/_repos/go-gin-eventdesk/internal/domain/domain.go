// Package domain defines the events and registrations managed by eventdesk and the rules
// their fields must follow.
package domain

import (
	"fmt"
	"net/mail"
	"strings"
	"time"
)

// Registration statuses.
const (
	StatusConfirmed  = "confirmed"
	StatusWaitlisted = "waitlisted"
)

// Event is a scheduled session people can register for.
type Event struct {
	ID       int64
	Title    string
	Venue    string
	StartsAt time.Time
	Capacity int
	Tags     []string
}

// Registration is one attendee's place at an event: confirmed while seats last, then
// waitlisted in arrival order.
type Registration struct {
	ID      int64
	EventID int64
	Name    string
	Email   string
	Status  string
}

// FieldError names a rejected request field.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// ValidationError lists every rejected field of a request.
type ValidationError struct {
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	msgs := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		msgs[i] = f.Field + " " + f.Message
	}
	return "invalid request: " + strings.Join(msgs, ", ")
}

// Add records a rejected field.
func (e *ValidationError) Add(field, format string, args ...any) {
	e.Fields = append(e.Fields, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// OrNil returns nil when nothing was rejected.
func (e *ValidationError) OrNil() error {
	if len(e.Fields) == 0 {
		return nil
	}
	return e
}

// MaxCapacity bounds the number of seats of one event.
const MaxCapacity = 10000

// ValidateText checks a required free-text field of at most max characters.
func ValidateText(v *ValidationError, field, value string, max int) {
	n := len([]rune(strings.TrimSpace(value)))
	switch {
	case n == 0:
		v.Add(field, "is required")
	case n > max:
		v.Add(field, "must be at most %d characters", max)
	}
}

// ParseStart parses an RFC 3339 start time and normalises it to UTC.
func ParseStart(v *ValidationError, value string) time.Time {
	if strings.TrimSpace(value) == "" {
		v.Add("starts_at", "is required")
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(value))
	if err != nil {
		v.Add("starts_at", "must be an RFC 3339 timestamp such as 2025-03-01T18:00:00Z")
		return time.Time{}
	}
	return t.UTC()
}

// ValidateCapacity checks the number of seats.
func ValidateCapacity(v *ValidationError, capacity *int) {
	if capacity == nil {
		v.Add("capacity", "is required")
	} else if *capacity < 1 || *capacity > MaxCapacity {
		v.Add("capacity", "must be between 1 and %d", MaxCapacity)
	}
}

// NormalizeTags trims, lower-cases and de-duplicates tags, keeping their first order.
func NormalizeTags(v *ValidationError, tags []string) []string {
	out := make([]string, 0, len(tags))
	seen := map[string]bool{}
	for _, t := range tags {
		t = strings.ToLower(strings.TrimSpace(t))
		if t == "" || len(t) > 30 {
			v.Add("tags", "each tag must be 1-30 characters")
			continue
		}
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	if len(out) > 10 {
		v.Add("tags", "at most 10 tags")
	}
	return out
}

// NormalizeEmail validates an attendee e-mail address and lower-cases it.
func NormalizeEmail(v *ValidationError, email string) string {
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" {
		v.Add("email", "is required")
		return ""
	}
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || !strings.Contains(email[strings.Index(email, "@"):], ".") {
		v.Add("email", "must be a valid e-mail address")
	}
	return email
}
