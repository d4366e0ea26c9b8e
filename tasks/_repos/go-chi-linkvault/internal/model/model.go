// Package model defines linkvault's collections and bookmarks and how their fields are
// validated and normalised.
package model

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// Collection groups bookmarks, like a folder.
type Collection struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// Bookmark is a saved link inside one collection.
type Bookmark struct {
	ID           int64    `json:"id"`
	CollectionID int64    `json:"collection_id"`
	URL          string   `json:"url"`
	Title        string   `json:"title"`
	Tags         []string `json:"tags"`
}

// FieldError is one rejected field of a request.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Invalid collects the rejected fields of a request.
type Invalid struct{ Fields []FieldError }

func (e *Invalid) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return "invalid request (" + strings.Join(parts, "; ") + ")"
}

// Reject records a rejected field.
func (e *Invalid) Reject(field, format string, args ...any) {
	e.Fields = append(e.Fields, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Err is nil when nothing was rejected.
func (e *Invalid) Err() error {
	if len(e.Fields) == 0 {
		return nil
	}
	return e
}

// CheckLength rejects a trimmed value shorter than min or longer than max characters.
func CheckLength(v *Invalid, field, value string, min, max int) {
	n := len([]rune(strings.TrimSpace(value)))
	if n < min {
		if min == 1 {
			v.Reject(field, "is required")
		} else {
			v.Reject(field, "must be at least %d characters", min)
		}
	} else if n > max {
		v.Reject(field, "must be at most %d characters", max)
	}
}

// NormalizeURL validates an absolute http(s) URL and returns its canonical form: scheme and
// host lower-cased, fragment removed, an empty path written as "/".
func NormalizeURL(v *Invalid, raw string) (string, string) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		v.Reject("url", "is required")
		return "", ""
	}
	if len(raw) > 2048 {
		v.Reject("url", "must be at most 2048 characters")
		return "", ""
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "HTTP" && u.Scheme != "HTTPS") || u.Host == "" {
		v.Reject("url", "must be an absolute http or https URL")
		return "", ""
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	u.Fragment = ""
	u.RawFragment = ""
	if u.Path == "" {
		u.Path = "/"
	}
	return u.String(), u.Hostname()
}

var tagPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,29}$`)

// NormalizeTags lower-cases and trims tags, drops duplicates (keeping first occurrences) and
// checks each against ^[a-z0-9][a-z0-9-]{0,29}$; at most 8 tags.
func NormalizeTags(v *Invalid, tags []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, t := range tags {
		t = strings.ToLower(strings.TrimSpace(t))
		if !tagPattern.MatchString(t) {
			v.Reject("tags", "tag %q must be 1-30 characters of a-z, 0-9 and '-'", t)
			continue
		}
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	if len(out) > 8 {
		v.Reject("tags", "at most 8 tags")
	}
	return out
}
