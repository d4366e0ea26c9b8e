package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// register handles POST /events/:id/registrations.
func (a *API) register(c *gin.Context) {
	// TODO: implement (see the task instruction).
	abort(c, http.StatusNotImplemented, "not_implemented", "POST /events/:id/registrations is not implemented")
}

// listRegistrations handles GET /events/:id/registrations?status=.
func (a *API) listRegistrations(c *gin.Context) {
	// TODO: implement (see the task instruction).
	abort(c, http.StatusNotImplemented, "not_implemented", "GET /events/:id/registrations is not implemented")
}

// getRegistration handles GET /events/:id/registrations/:regId.
func (a *API) getRegistration(c *gin.Context) {
	// TODO: implement (see the task instruction).
	abort(c, http.StatusNotImplemented, "not_implemented", "GET /events/:id/registrations/:regId is not implemented")
}

// cancelRegistration handles DELETE /events/:id/registrations/:regId.
func (a *API) cancelRegistration(c *gin.Context) {
	// TODO: implement (see the task instruction).
	abort(c, http.StatusNotImplemented, "not_implemented", "DELETE /events/:id/registrations/:regId is not implemented")
}
