// Command serveload measures glassbox serve under load: it fills a store with generated
// glassbox.report/v1 audits, starts `glassbox serve` on loopback over it, attacks model pages and
// filtered leaderboard queries at a constant rate with vegeta (as a library), and prints the
// latency percentiles and the server's peak resident memory. Only 127.0.0.1 is ever contacted.
//
//	go run ./bench/serveload -glassbox /tmp/glassbox [-db DSN] [-n 100000] [-rate 200] [-board-rate 10] [-duration 30s]
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/glassbox-dev/glassbox/internal/store"
)

func main() {
	bin := flag.String("glassbox", "", "the glassbox binary to serve with (go build -o /tmp/glassbox ./cmd/glassbox)")
	dsn := flag.String("db", "", "store DSN (default: a new SQLite file in a temporary folder)")
	n := flag.Int("n", 100_000, "stored models (one audit each)")
	rate := flag.Int("rate", 200, "model page requests a second")
	boardRate := flag.Int("board-rate", 10, "leaderboard requests a second")
	duration := flag.Duration("duration", 30*time.Second, "how long to attack (at most 5 minutes)")
	flag.Parse()
	if *bin == "" || *n <= 0 || *n > 1_000_000 || *rate <= 0 || *rate > 5000 || *boardRate <= 0 || *boardRate > 5000 || *duration <= 0 || *duration > 5*time.Minute {
		log.Fatal("serveload: -glassbox is required; -n at most 1,000,000, -rate at most 5000/s, -duration at most 5m")
	}
	if *dsn == "" {
		dir, err := os.MkdirTemp("", "serveload")
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(dir)
		*dsn = filepath.Join(dir, "glassbox.db")
	}
	ctx := context.Background()
	start := time.Now()
	if err := seed(ctx, *dsn, *n); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("seeded %d audits in %s\n", *n, time.Since(start).Round(time.Second))
	srv, err := startServer(*bin, *dsn)
	if err != nil {
		log.Fatal(err)
	}
	defer srv.stop()
	for mix, r := range map[string]int{"model": *rate, "leaderboard": *boardRate} {
		fmt.Printf("%s: %s\n", mix, attack(srv.base, mix, *n, r, *duration))
	}
	fmt.Printf("server peak RSS: %d MiB\n", srv.peakRSS()>>20)
}

// seed stores n generated audits unless the store already holds at least n models.
func seed(ctx context.Context, dsn string, n int) error {
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	page, err := st.Search(ctx, store.Query{Limit: 1})
	if err != nil {
		return err
	}
	if page.Total >= n {
		return nil
	}
	return fill(ctx, st, page.Total, n)
}
