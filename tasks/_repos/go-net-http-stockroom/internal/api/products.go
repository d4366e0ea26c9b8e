package api

import (
	"net/http"
	"strings"

	"stockroom/internal/model"
)

type createProductRequest struct {
	SKU            string `json:"sku"`
	Name           string `json:"name"`
	Location       string `json:"location"`
	UnitPriceCents *int64 `json:"unit_price_cents"`
	ReorderLevel   int64  `json:"reorder_level"`
}

type updateProductRequest struct {
	Name           *string `json:"name"`
	Location       *string `json:"location"`
	UnitPriceCents *int64  `json:"unit_price_cents"`
	ReorderLevel   *int64  `json:"reorder_level"`
}

type productList struct {
	Products []model.Product `json:"products"`
	Count    int             `json:"count"`
}

// createProduct handles POST /products.
func (s *Server) createProduct(w http.ResponseWriter, r *http.Request) {
	var req createProductRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	v := &model.ValidationError{}
	req.SKU = strings.ToUpper(strings.TrimSpace(req.SKU))
	if !model.ValidSKU(req.SKU) {
		v.Add("sku", "must be 3-32 characters of A-Z, 0-9 and '-', not starting with '-'")
	}
	model.ValidateName(v, req.Name)
	model.ValidateLocation(v, strings.TrimSpace(req.Location))
	if req.UnitPriceCents == nil {
		v.Add("unit_price_cents", "is required")
	} else {
		model.ValidateNonNegative(v, "unit_price_cents", *req.UnitPriceCents)
	}
	model.ValidateNonNegative(v, "reorder_level", req.ReorderLevel)
	if err := v.Err(); err != nil {
		s.writeErr(w, err)
		return
	}
	p := model.Product{
		SKU:            req.SKU,
		Name:           strings.TrimSpace(req.Name),
		Location:       strings.TrimSpace(req.Location),
		UnitPriceCents: *req.UnitPriceCents,
		ReorderLevel:   req.ReorderLevel,
	}
	if err := s.store.Create(p); err != nil {
		s.writeErr(w, err)
		return
	}
	w.Header().Set("Location", "/products/"+p.SKU)
	writeJSON(w, http.StatusCreated, p)
}

// listProducts handles GET /products?location=&q=.
func (s *Server) listProducts(w http.ResponseWriter, r *http.Request) {
	location := strings.TrimSpace(r.URL.Query().Get("location"))
	q := strings.ToLower(strings.TrimSpace(r.URL.Query().Get("q")))
	products := s.store.List(func(p model.Product) bool {
		if location != "" && !strings.EqualFold(p.Location, location) {
			return false
		}
		if q != "" && !strings.Contains(strings.ToLower(p.Name), q) && !strings.Contains(strings.ToLower(p.SKU), q) {
			return false
		}
		return true
	})
	writeJSON(w, http.StatusOK, productList{Products: products, Count: len(products)})
}

// getProduct handles GET /products/{sku}.
func (s *Server) getProduct(w http.ResponseWriter, r *http.Request) {
	p, err := s.store.Get(strings.ToUpper(r.PathValue("sku")))
	if err != nil {
		s.writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// updateProduct handles PATCH /products/{sku}: only the fields present change.
func (s *Server) updateProduct(w http.ResponseWriter, r *http.Request) {
	var req updateProductRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	v := &model.ValidationError{}
	if req.Name != nil {
		model.ValidateName(v, *req.Name)
	}
	if req.Location != nil {
		model.ValidateLocation(v, strings.TrimSpace(*req.Location))
	}
	if req.UnitPriceCents != nil {
		model.ValidateNonNegative(v, "unit_price_cents", *req.UnitPriceCents)
	}
	if req.ReorderLevel != nil {
		model.ValidateNonNegative(v, "reorder_level", *req.ReorderLevel)
	}
	if err := v.Err(); err != nil {
		s.writeErr(w, err)
		return
	}
	p, err := s.store.Update(strings.ToUpper(r.PathValue("sku")), func(p *model.Product) error {
		if req.Name != nil {
			p.Name = strings.TrimSpace(*req.Name)
		}
		if req.Location != nil {
			p.Location = strings.TrimSpace(*req.Location)
		}
		if req.UnitPriceCents != nil {
			p.UnitPriceCents = *req.UnitPriceCents
		}
		if req.ReorderLevel != nil {
			p.ReorderLevel = *req.ReorderLevel
		}
		return nil
	})
	if err != nil {
		s.writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// deleteProduct handles DELETE /products/{sku}; a product with stock on hand is kept.
func (s *Server) deleteProduct(w http.ResponseWriter, r *http.Request) {
	err := s.store.Delete(strings.ToUpper(r.PathValue("sku")), func(p model.Product) error {
		if p.Quantity > 0 {
			return conflict("product %s still has %d units on hand", p.SKU, p.Quantity)
		}
		return nil
	})
	if err != nil {
		s.writeErr(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
