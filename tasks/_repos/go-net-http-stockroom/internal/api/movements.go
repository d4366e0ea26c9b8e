package api

import (
	"net/http"
	"sort"
	"strings"

	"stockroom/internal/model"
)

type movementRequest struct {
	Type      string `json:"type"`
	Quantity  *int64 `json:"quantity"`
	Reference string `json:"reference"`
	Note      string `json:"note"`
}

type movementResult struct {
	Movement model.Movement `json:"movement"`
	Product  model.Product  `json:"product"`
}

type lowStockItem struct {
	SKU          string `json:"sku"`
	Name         string `json:"name"`
	Location     string `json:"location"`
	Quantity     int64  `json:"quantity"`
	ReorderLevel int64  `json:"reorder_level"`
	Shortfall    int64  `json:"shortfall"`
}

type stockValue struct {
	Location        string `json:"location"`
	ProductCount    int    `json:"product_count"`
	TotalUnits      int64  `json:"total_units"`
	TotalValueCents int64  `json:"total_value_cents"`
}

// recordMovement handles POST /products/{sku}/movements.
func (s *Server) recordMovement(w http.ResponseWriter, r *http.Request) {
	var req movementRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	v := &model.ValidationError{}
	req.Type = strings.ToLower(strings.TrimSpace(req.Type))
	switch req.Type {
	case model.MovementReceive, model.MovementShip:
		if req.Quantity == nil {
			v.Add("quantity", "is required")
		} else if *req.Quantity <= 0 {
			v.Add("quantity", "must be a positive number of units")
		}
	case model.MovementAdjust:
		if req.Quantity == nil {
			v.Add("quantity", "is required")
		} else if *req.Quantity == 0 {
			v.Add("quantity", "must not be zero")
		}
	default:
		v.Add("type", "must be one of receive, ship, adjust")
	}
	if len([]rune(req.Reference)) > 64 {
		v.Add("reference", "must be at most 64 characters")
	}
	if len([]rune(req.Note)) > 500 {
		v.Add("note", "must be at most 500 characters")
	}
	if err := v.Err(); err != nil {
		s.writeErr(w, err)
		return
	}
	qty := *req.Quantity
	m, p, err := s.store.Record(strings.ToUpper(r.PathValue("sku")), func(p model.Product) (model.Movement, error) {
		m := model.Movement{
			Type:      req.Type,
			Quantity:  qty,
			Reference: strings.TrimSpace(req.Reference),
			Note:      strings.TrimSpace(req.Note),
		}
		switch req.Type {
		case model.MovementReceive:
			m.Delta = qty
		case model.MovementShip:
			if qty > p.Quantity {
				return m, conflict("cannot ship %d units of %s: only %d on hand", qty, p.SKU, p.Quantity)
			}
			m.Delta = -qty
		case model.MovementAdjust:
			if p.Quantity+qty < 0 {
				return m, conflict("adjustment of %d would leave %s with negative stock", qty, p.SKU)
			}
			m.Delta = qty
		}
		return m, nil
	})
	if err != nil {
		s.writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, movementResult{Movement: m, Product: p})
}

// listMovements handles GET /products/{sku}/movements?type=.
func (s *Server) listMovements(w http.ResponseWriter, r *http.Request) {
	typ := strings.ToLower(strings.TrimSpace(r.URL.Query().Get("type")))
	if typ != "" && typ != model.MovementReceive && typ != model.MovementShip && typ != model.MovementAdjust {
		writeError(w, http.StatusBadRequest, "bad_request", "type must be one of receive, ship, adjust")
		return
	}
	all, err := s.store.Movements(strings.ToUpper(r.PathValue("sku")))
	if err != nil {
		s.writeErr(w, err)
		return
	}
	out := make([]model.Movement, 0, len(all))
	for _, m := range all {
		if typ == "" || m.Type == typ {
			out = append(out, m)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"movements": out, "count": len(out)})
}

// lowStockReport handles GET /reports/low-stock?location=: products at or below their
// reorder level, largest shortfall first.
func (s *Server) lowStockReport(w http.ResponseWriter, r *http.Request) {
	location := strings.TrimSpace(r.URL.Query().Get("location"))
	products := s.store.List(func(p model.Product) bool {
		if location != "" && !strings.EqualFold(p.Location, location) {
			return false
		}
		return p.Quantity <= p.ReorderLevel
	})
	items := make([]lowStockItem, 0, len(products))
	for _, p := range products {
		items = append(items, lowStockItem{
			SKU: p.SKU, Name: p.Name, Location: p.Location,
			Quantity: p.Quantity, ReorderLevel: p.ReorderLevel,
			Shortfall: p.ReorderLevel - p.Quantity,
		})
	}
	sort.SliceStable(items, func(i, j int) bool {
		if items[i].Shortfall != items[j].Shortfall {
			return items[i].Shortfall > items[j].Shortfall
		}
		return items[i].SKU < items[j].SKU
	})
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "count": len(items)})
}

// stockValueReport handles GET /reports/stock-value?location=.
func (s *Server) stockValueReport(w http.ResponseWriter, r *http.Request) {
	location := strings.TrimSpace(r.URL.Query().Get("location"))
	report := stockValue{Location: location}
	for _, p := range s.store.List(nil) {
		if location != "" && !strings.EqualFold(p.Location, location) {
			continue
		}
		report.ProductCount++
		report.TotalUnits += p.Quantity
		report.TotalValueCents += p.Quantity * p.UnitPriceCents
	}
	writeJSON(w, http.StatusOK, report)
}
