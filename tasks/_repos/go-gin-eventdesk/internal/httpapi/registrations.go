package httpapi

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"eventdesk/internal/domain"
	"eventdesk/internal/store"
)

type registrationRequest struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// register handles POST /events/:id/registrations: a seat is confirmed while the event has
// capacity left, otherwise the attendee joins the waitlist. One registration per e-mail.
func (a *API) register(c *gin.Context) {
	eventID, ok := idParam(c, "id")
	if !ok {
		return
	}
	var req registrationRequest
	if !bindJSON(c, &req) {
		return
	}
	v := &domain.ValidationError{}
	domain.ValidateText(v, "name", req.Name, 80)
	email := domain.NormalizeEmail(v, req.Email)
	if err := v.OrNil(); err != nil {
		a.fail(c, err)
		return
	}
	var view RegistrationView
	err := a.store.Do(func(tx *store.Tx) error {
		e, err := tx.Event(eventID)
		if err != nil {
			return err
		}
		for _, r := range tx.Registrations(eventID) {
			if r.Email == email {
				return conflictf("%s is already registered for event %d", email, eventID)
			}
		}
		reg := &domain.Registration{EventID: eventID, Name: strings.TrimSpace(req.Name), Email: email, Status: domain.StatusWaitlisted}
		if confirmed, _ := tx.Counts(eventID); confirmed < e.Capacity {
			reg.Status = domain.StatusConfirmed
		}
		if err := tx.InsertRegistration(reg); err != nil {
			return err
		}
		view = registrationView(reg)
		return nil
	})
	if err != nil {
		a.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, view)
}

// listRegistrations handles GET /events/:id/registrations?status=.
func (a *API) listRegistrations(c *gin.Context) {
	eventID, ok := idParam(c, "id")
	if !ok {
		return
	}
	status := strings.ToLower(strings.TrimSpace(c.Query("status")))
	if status != "" && status != domain.StatusConfirmed && status != domain.StatusWaitlisted {
		abort(c, http.StatusBadRequest, "bad_request", "status must be confirmed or waitlisted")
		return
	}
	views := []RegistrationView{}
	err := a.store.Do(func(tx *store.Tx) error {
		if _, err := tx.Event(eventID); err != nil {
			return err
		}
		for _, r := range tx.Registrations(eventID) {
			if status == "" || r.Status == status {
				views = append(views, registrationView(r))
			}
		}
		return nil
	})
	if err != nil {
		a.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"registrations": views, "count": len(views)})
}

// getRegistration handles GET /events/:id/registrations/:regId.
func (a *API) getRegistration(c *gin.Context) {
	eventID, ok := idParam(c, "id")
	if !ok {
		return
	}
	regID, ok := idParam(c, "regId")
	if !ok {
		return
	}
	var view RegistrationView
	err := a.store.Do(func(tx *store.Tx) error {
		if _, err := tx.Event(eventID); err != nil {
			return err
		}
		for _, r := range tx.Registrations(eventID) {
			if r.ID == regID {
				view = registrationView(r)
				return nil
			}
		}
		return store.ErrRegistrationNotFound
	})
	if err != nil {
		a.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, view)
}

// cancelRegistration handles DELETE /events/:id/registrations/:regId. When a confirmed seat
// is freed, the earliest waitlisted registration is confirmed in its place.
func (a *API) cancelRegistration(c *gin.Context) {
	eventID, ok := idParam(c, "id")
	if !ok {
		return
	}
	regID, ok := idParam(c, "regId")
	if !ok {
		return
	}
	var cancelled RegistrationView
	var promoted *RegistrationView
	err := a.store.Do(func(tx *store.Tx) error {
		e, err := tx.Event(eventID)
		if err != nil {
			return err
		}
		removed, err := tx.DeleteRegistration(eventID, regID)
		if err != nil {
			return err
		}
		cancelled = registrationView(removed)
		if removed.Status != domain.StatusConfirmed {
			return nil
		}
		if confirmed, _ := tx.Counts(eventID); confirmed >= e.Capacity {
			return nil
		}
		for _, r := range tx.Registrations(eventID) {
			if r.Status == domain.StatusWaitlisted {
				r.Status = domain.StatusConfirmed
				v := registrationView(r)
				promoted = &v
				break
			}
		}
		return nil
	})
	if err != nil {
		a.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"cancelled": cancelled, "promoted": promoted})
}
