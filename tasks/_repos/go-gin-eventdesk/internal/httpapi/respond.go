package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"eventdesk/internal/domain"
	"eventdesk/internal/store"
)

// errorResponse is the body of every error answer.
type errorResponse struct {
	Error   string              `json:"error"`
	Message string              `json:"message"`
	Fields  []domain.FieldError `json:"fields,omitempty"`
}

// ConflictError refuses a change that contradicts the current state (HTTP 409).
type ConflictError struct{ Message string }

func (e *ConflictError) Error() string { return e.Message }

func conflictf(format string, args ...any) error {
	return &ConflictError{Message: fmt.Sprintf(format, args...)}
}

func abort(c *gin.Context, status int, code, message string) {
	c.AbortWithStatusJSON(status, errorResponse{Error: code, Message: message})
}

// fail maps an error from the domain or the store to its HTTP answer.
func (a *API) fail(c *gin.Context, err error) {
	var verr *domain.ValidationError
	var cerr *ConflictError
	switch {
	case errors.As(err, &verr):
		c.AbortWithStatusJSON(http.StatusUnprocessableEntity, errorResponse{
			Error: "validation_failed", Message: verr.Error(), Fields: verr.Fields,
		})
	case errors.As(err, &cerr):
		abort(c, http.StatusConflict, "conflict", cerr.Message)
	case errors.Is(err, store.ErrEventNotFound), errors.Is(err, store.ErrRegistrationNotFound):
		abort(c, http.StatusNotFound, "not_found", err.Error())
	default:
		a.log.Printf("internal error: %v", err)
		abort(c, http.StatusInternalServerError, "internal", "internal server error")
	}
}

// bindJSON decodes the body into dst (unknown fields rejected) and answers 400 on failure.
func bindJSON(c *gin.Context, dst any) bool {
	if err := c.ShouldBindJSON(dst); err != nil {
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
		abort(c, http.StatusBadRequest, "bad_request", msg)
		return false
	}
	return true
}

// idParam reads a positive integer path parameter, answering 400 when it is not one.
func idParam(c *gin.Context, name string) (int64, bool) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id < 1 {
		abort(c, http.StatusBadRequest, "bad_request", fmt.Sprintf("%s must be a positive integer", name))
		return 0, false
	}
	return id, true
}
