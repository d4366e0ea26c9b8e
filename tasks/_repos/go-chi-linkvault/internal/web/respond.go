package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"linkvault/internal/model"
	"linkvault/internal/repo"
)

type apiError struct {
	Error   string             `json:"error"`
	Message string             `json:"message"`
	Fields  []model.FieldError `json:"fields,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func writeError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, apiError{Error: code, Message: message})
}

// fail answers with the HTTP status that matches err.
func (h *Handlers) fail(w http.ResponseWriter, err error) {
	var invalid *model.Invalid
	switch {
	case errors.As(err, &invalid):
		writeJSON(w, http.StatusUnprocessableEntity, apiError{Error: "validation_failed", Message: invalid.Error(), Fields: invalid.Fields})
	case errors.Is(err, repo.ErrCollectionNotFound), errors.Is(err, repo.ErrBookmarkNotFound):
		writeError(w, http.StatusNotFound, "not_found", err.Error())
	case errors.Is(err, repo.ErrDuplicateURL), errors.Is(err, repo.ErrCollectionNotEmpty), errors.Is(err, repo.ErrDuplicateName):
		writeError(w, http.StatusConflict, "conflict", err.Error())
	default:
		h.log.Printf("internal error: %v", err)
		writeError(w, http.StatusInternalServerError, "internal", "internal server error")
	}
}

// decode reads one JSON object into dst; unknown fields, wrong types and trailing data are
// answered with 400 and false.
func decode(w http.ResponseWriter, r *http.Request, dst any) bool {
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<20))
	dec.DisallowUnknownFields()
	err := dec.Decode(dst)
	if err == nil && dec.More() {
		err = errors.New("unexpected data after the JSON object")
	}
	if err == nil {
		return true
	}
	msg := "request body must be a JSON object"
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &typeErr):
		msg = fmt.Sprintf("field %q has the wrong type", typeErr.Field)
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		msg = strings.TrimPrefix(err.Error(), "json: ")
	}
	writeError(w, http.StatusBadRequest, "bad_request", msg)
	return false
}

// pathID reads a positive integer URL parameter; otherwise it answers 400 and returns false.
func pathID(w http.ResponseWriter, r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(chi.URLParam(r, name), 10, 64)
	if err != nil || id < 1 {
		writeError(w, http.StatusBadRequest, "bad_request", name+" must be a positive integer")
		return 0, false
	}
	return id, true
}
