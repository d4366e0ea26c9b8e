// Package model holds the domain types of the stockroom service and their validation rules.
package model

import (
	"fmt"
	"regexp"
	"strings"
)

// Movement types accepted by POST /products/{sku}/movements.
const (
	MovementReceive = "receive"
	MovementShip    = "ship"
	MovementAdjust  = "adjust"
)

// Product is one stock-keeping unit held in the stockroom.
type Product struct {
	SKU            string `json:"sku"`
	Name           string `json:"name"`
	Location       string `json:"location"`
	UnitPriceCents int64  `json:"unit_price_cents"`
	ReorderLevel   int64  `json:"reorder_level"`
	Quantity       int64  `json:"quantity"`
}

// Movement is an entry of a product's stock ledger. Delta is the signed change of the
// on-hand quantity; BalanceAfter the quantity once the movement was applied.
type Movement struct {
	ID           int64  `json:"id"`
	SKU          string `json:"sku"`
	Type         string `json:"type"`
	Quantity     int64  `json:"quantity"`
	Delta        int64  `json:"delta"`
	BalanceAfter int64  `json:"balance_after"`
	Reference    string `json:"reference"`
	Note         string `json:"note"`
}

// FieldError describes why one field of a request body was rejected.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// ValidationError collects every FieldError of a request.
type ValidationError struct {
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, 0, len(e.Fields))
	for _, f := range e.Fields {
		parts = append(parts, fmt.Sprintf("%s: %s", f.Field, f.Message))
	}
	return "validation failed: " + strings.Join(parts, "; ")
}

// Add records a problem with a field.
func (e *ValidationError) Add(field, format string, args ...any) {
	e.Fields = append(e.Fields, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Err returns nil when no problem was recorded, so callers can `return v.Err()`.
func (e *ValidationError) Err() error {
	if len(e.Fields) == 0 {
		return nil
	}
	return e
}

var skuPattern = regexp.MustCompile(`^[A-Z0-9][A-Z0-9-]{2,31}$`)

// ValidSKU reports whether s is a well-formed SKU: 3 to 32 upper-case letters, digits or
// dashes, not starting with a dash.
func ValidSKU(s string) bool { return skuPattern.MatchString(s) }

// ValidateName checks a product name (1 to 120 characters once trimmed).
func ValidateName(v *ValidationError, name string) {
	n := len([]rune(strings.TrimSpace(name)))
	if n == 0 {
		v.Add("name", "must not be empty")
	} else if n > 120 {
		v.Add("name", "must be at most 120 characters")
	}
}

// ValidateLocation checks a storage location code (0 to 40 characters).
func ValidateLocation(v *ValidationError, location string) {
	if len([]rune(location)) > 40 {
		v.Add("location", "must be at most 40 characters")
	}
}

// ValidateNonNegative checks that a numeric field is zero or positive.
func ValidateNonNegative(v *ValidationError, field string, value int64) {
	if value < 0 {
		v.Add(field, "must be zero or positive")
	}
}
