// Package httpapi exposes eventdesk over HTTP with Gin.
package httpapi

import (
	"log"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/gin-gonic/gin/binding"

	"eventdesk/internal/store"
)

// API holds the handlers' dependencies.
type API struct {
	store *store.Store
	log   *log.Logger
}

// NewRouter builds the Gin engine with every route of the service.
func NewRouter(st *store.Store, logger *log.Logger) *gin.Engine {
	binding.EnableDecoderDisallowUnknownFields = true

	api := &API{store: st, log: logger}
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.Use(gin.LoggerWithWriter(logger.Writer()), gin.CustomRecovery(func(c *gin.Context, err any) {
		logger.Printf("panic: %v", err)
		abort(c, http.StatusInternalServerError, "internal", "internal server error")
	}))
	r.NoRoute(func(c *gin.Context) {
		abort(c, http.StatusNotFound, "not_found", "no route for "+c.Request.Method+" "+c.Request.URL.Path)
	})
	r.NoMethod(func(c *gin.Context) {
		abort(c, http.StatusMethodNotAllowed, "method_not_allowed", c.Request.Method+" is not allowed here")
	})

	r.GET("/health", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) })

	events := r.Group("/events")
	events.POST("", api.createEvent)
	events.GET("", api.listEvents)
	events.GET("/:id", api.getEvent)
	events.PUT("/:id", api.replaceEvent)
	events.DELETE("/:id", api.deleteEvent)

	events.POST("/:id/registrations", api.register)
	events.GET("/:id/registrations", api.listRegistrations)
	events.GET("/:id/registrations/:regId", api.getRegistration)
	events.DELETE("/:id/registrations/:regId", api.cancelRegistration)
	return r
}
