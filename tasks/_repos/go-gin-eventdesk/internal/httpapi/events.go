package httpapi

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"eventdesk/internal/domain"
	"eventdesk/internal/store"
)

// eventRequest is the body of POST /events and PUT /events/:id.
type eventRequest struct {
	Title    string   `json:"title"`
	Venue    string   `json:"venue"`
	StartsAt string   `json:"starts_at"`
	Capacity *int     `json:"capacity"`
	Tags     []string `json:"tags"`
}

// toEvent validates the request and returns the event fields it describes.
func (req eventRequest) toEvent() (domain.Event, error) {
	v := &domain.ValidationError{}
	domain.ValidateText(v, "title", req.Title, 120)
	domain.ValidateText(v, "venue", req.Venue, 120)
	start := domain.ParseStart(v, req.StartsAt)
	domain.ValidateCapacity(v, req.Capacity)
	tags := domain.NormalizeTags(v, req.Tags)
	if err := v.OrNil(); err != nil {
		return domain.Event{}, err
	}
	return domain.Event{
		Title:    strings.TrimSpace(req.Title),
		Venue:    strings.TrimSpace(req.Venue),
		StartsAt: start,
		Capacity: *req.Capacity,
		Tags:     tags,
	}, nil
}

// createEvent handles POST /events.
func (a *API) createEvent(c *gin.Context) {
	var req eventRequest
	if !bindJSON(c, &req) {
		return
	}
	ev, err := req.toEvent()
	if err != nil {
		a.fail(c, err)
		return
	}
	var view EventView
	_ = a.store.Do(func(tx *store.Tx) error {
		tx.InsertEvent(&ev)
		view = eventView(tx, &ev)
		return nil
	})
	c.Header("Location", "/events/"+strconv.FormatInt(view.ID, 10))
	c.JSON(http.StatusCreated, view)
}

// listEvents handles GET /events?venue=&tag=&available=.
func (a *API) listEvents(c *gin.Context) {
	venue := strings.TrimSpace(c.Query("venue"))
	tag := strings.ToLower(strings.TrimSpace(c.Query("tag")))
	onlyAvailable := false
	switch strings.ToLower(c.Query("available")) {
	case "", "false":
	case "true":
		onlyAvailable = true
	default:
		abort(c, http.StatusBadRequest, "bad_request", "available must be true or false")
		return
	}
	views := []EventView{}
	_ = a.store.Do(func(tx *store.Tx) error {
		for _, e := range tx.Events() {
			if venue != "" && !strings.EqualFold(e.Venue, venue) {
				continue
			}
			if tag != "" && !hasTag(e.Tags, tag) {
				continue
			}
			view := eventView(tx, e)
			if onlyAvailable && view.SeatsLeft == 0 {
				continue
			}
			views = append(views, view)
		}
		return nil
	})
	c.JSON(http.StatusOK, gin.H{"events": views, "count": len(views)})
}

func hasTag(tags []string, tag string) bool {
	for _, t := range tags {
		if t == tag {
			return true
		}
	}
	return false
}

// getEvent handles GET /events/:id.
func (a *API) getEvent(c *gin.Context) {
	id, ok := idParam(c, "id")
	if !ok {
		return
	}
	var view EventView
	err := a.store.Do(func(tx *store.Tx) error {
		e, err := tx.Event(id)
		if err != nil {
			return err
		}
		view = eventView(tx, e)
		return nil
	})
	if err != nil {
		a.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, view)
}

// replaceEvent handles PUT /events/:id. Lowering the capacity below the confirmed seats is
// refused; raising it confirms waitlisted registrations in arrival order.
func (a *API) replaceEvent(c *gin.Context) {
	id, ok := idParam(c, "id")
	if !ok {
		return
	}
	var req eventRequest
	if !bindJSON(c, &req) {
		return
	}
	next, err := req.toEvent()
	if err != nil {
		a.fail(c, err)
		return
	}
	var view EventView
	err = a.store.Do(func(tx *store.Tx) error {
		e, err := tx.Event(id)
		if err != nil {
			return err
		}
		confirmed, _ := tx.Counts(id)
		if next.Capacity < confirmed {
			return conflictf("capacity %d is below the %d confirmed registrations", next.Capacity, confirmed)
		}
		e.Title, e.Venue, e.StartsAt, e.Capacity, e.Tags = next.Title, next.Venue, next.StartsAt, next.Capacity, next.Tags
		free := e.Capacity - confirmed
		for _, r := range tx.Registrations(id) {
			if free == 0 {
				break
			}
			if r.Status == domain.StatusWaitlisted {
				r.Status = domain.StatusConfirmed
				free--
			}
		}
		view = eventView(tx, e)
		return nil
	})
	if err != nil {
		a.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, view)
}

// deleteEvent handles DELETE /events/:id; its registrations go with it.
func (a *API) deleteEvent(c *gin.Context) {
	id, ok := idParam(c, "id")
	if !ok {
		return
	}
	if err := a.store.Do(func(tx *store.Tx) error { return tx.DeleteEvent(id) }); err != nil {
		a.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
