package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// createEvent handles POST /events.
func (a *API) createEvent(c *gin.Context) {
	// TODO: implement (see the task instruction).
	abort(c, http.StatusNotImplemented, "not_implemented", "POST /events is not implemented")
}

// listEvents handles GET /events?venue=&tag=&available=.
func (a *API) listEvents(c *gin.Context) {
	// TODO: implement (see the task instruction).
	abort(c, http.StatusNotImplemented, "not_implemented", "GET /events is not implemented")
}

// getEvent handles GET /events/:id.
func (a *API) getEvent(c *gin.Context) {
	// TODO: implement (see the task instruction).
	abort(c, http.StatusNotImplemented, "not_implemented", "GET /events/:id is not implemented")
}

// replaceEvent handles PUT /events/:id.
func (a *API) replaceEvent(c *gin.Context) {
	// TODO: implement (see the task instruction).
	abort(c, http.StatusNotImplemented, "not_implemented", "PUT /events/:id is not implemented")
}

// deleteEvent handles DELETE /events/:id.
func (a *API) deleteEvent(c *gin.Context) {
	// TODO: implement (see the task instruction).
	abort(c, http.StatusNotImplemented, "not_implemented", "DELETE /events/:id is not implemented")
}
