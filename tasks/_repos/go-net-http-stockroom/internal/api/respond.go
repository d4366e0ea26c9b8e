package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"stockroom/internal/model"
	"stockroom/internal/store"
)

const maxBodyBytes = 1 << 20

// errorBody is the JSON shape of every error response.
type errorBody struct {
	Error   string             `json:"error"`
	Message string             `json:"message"`
	Fields  []model.FieldError `json:"fields,omitempty"`
}

// conflictError is returned by business rules that refuse a change (HTTP 409).
type conflictError struct{ msg string }

func (e *conflictError) Error() string { return e.msg }

func conflict(format string, args ...any) error {
	return &conflictError{msg: fmt.Sprintf(format, args...)}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, errorBody{Error: code, Message: msg})
}

// writeErr maps domain errors to HTTP responses.
func (s *Server) writeErr(w http.ResponseWriter, err error) {
	var verr *model.ValidationError
	var cerr *conflictError
	switch {
	case errors.As(err, &verr):
		writeJSON(w, http.StatusUnprocessableEntity, errorBody{Error: "validation_failed", Message: verr.Error(), Fields: verr.Fields})
	case errors.As(err, &cerr):
		writeError(w, http.StatusConflict, "conflict", cerr.Error())
	case errors.Is(err, store.ErrNotFound):
		writeError(w, http.StatusNotFound, "not_found", err.Error())
	case errors.Is(err, store.ErrExists):
		writeError(w, http.StatusConflict, "conflict", err.Error())
	default:
		s.log.Printf("internal error: %v", err)
		writeError(w, http.StatusInternalServerError, "internal", "internal server error")
	}
}

// decodeJSON reads a JSON object body into dst, rejecting unknown fields and trailing data.
// It writes a 400 response and returns false when the body is unusable.
func decodeJSON(w http.ResponseWriter, r *http.Request, dst any) bool {
	dec := json.NewDecoder(io.LimitReader(r.Body, maxBodyBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		msg := "request body must be a JSON object"
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.As(err, &typeErr):
			msg = fmt.Sprintf("field %q has the wrong type", typeErr.Field)
		case strings.HasPrefix(err.Error(), "json: unknown field"):
			msg = strings.TrimPrefix(err.Error(), "json: ")
		case errors.Is(err, io.EOF):
			msg = "request body is empty"
		}
		writeError(w, http.StatusBadRequest, "bad_request", msg)
		return false
	}
	if dec.More() {
		writeError(w, http.StatusBadRequest, "bad_request", "request body must hold a single JSON object")
		return false
	}
	return true
}
