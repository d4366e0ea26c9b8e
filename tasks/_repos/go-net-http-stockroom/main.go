// Command stockroom serves a small warehouse inventory API: products, their stock ledger
// and stock reports.
//
// The build runs in GOPATH mode, where the toolchain applies the GODEBUG defaults of Go 1.20;
// the directive below turns on the Go 1.22 ServeMux (method and wildcard patterns).

//go:debug httpmuxgo121=0
package main

import (
	"context"
	"errors"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"stockroom/internal/api"
	"stockroom/internal/store"
)

func getenv(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}

func main() {
	logger := log.New(os.Stdout, "stockroom ", log.LstdFlags|log.Lmsgprefix)
	addr := getenv("HOST", "0.0.0.0") + ":" + getenv("PORT", "8080")
	dataFile := os.Getenv("STOCKROOM_DATA_FILE")

	st, err := store.Open(dataFile)
	if err != nil {
		logger.Fatalf("open store: %v", err)
	}
	srv := &http.Server{
		Addr:              addr,
		Handler:           api.New(st, logger).Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      15 * time.Second,
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdownCtx)
	}()

	if dataFile == "" {
		logger.Printf("listening on %s (in-memory store)", addr)
	} else {
		logger.Printf("listening on %s (data file %s)", addr, dataFile)
	}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		logger.Fatalf("serve: %v", err)
	}
	logger.Printf("stopped")
}
