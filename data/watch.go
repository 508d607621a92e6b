package data

import (
	"context"
	"database/sql/driver"
	"errors"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
)

// Watching the shop for other tills' writes. On SQLite, PRAGMA
// data_version on the writer connection moves when another program (a
// `regulars sale`, another window) commits; it is read once a second. On
// PostgreSQL every write transaction moves shop_changes and, in the same
// statement, sends a notification on the channel changesChannel
// (pgCountChange), which a watcher's own connection listens for; the count
// is still read every few seconds in case a notification was missed, and
// once a second while the server cannot be reached.

// changesChannel is the PostgreSQL channel write transactions notify on.
const changesChannel = "regulars_changes"

// pgCountChange is run by every write transaction on PostgreSQL just
// before it commits: it moves the shop's count of changes and tells the
// listening tills, who hear it when the transaction commits.
const pgCountChange = "WITH c AS (UPDATE shop_changes SET n = n + 1 RETURNING n) SELECT pg_notify('" + changesChannel + "', CAST(n AS text)) FROM c"

var (
	// watchEvery is how often a watcher reads the count when it has
	// nothing to listen to (SQLite, or a server out of reach).
	watchEvery = time.Second
	// watchFallback is how often a watcher that listens reads the count
	// anyway.
	watchFallback = 5 * time.Second
)

// ErrUnreachable means the shop's PostgreSQL server could not be reached.
var ErrUnreachable = errors.New("the shop's database server cannot be reached")

// WatchChanges calls changed soon after another till or program wrote to
// the shop (within about a second), until ctx ends or the store is closed.
// Writes through this store itself do not count. reach, when not nil, is
// told when the database stops answering (an error wrapping
// ErrUnreachable on PostgreSQL) and when it answers again (nil). Both are
// called from a goroutine of the watcher's own, one call at a time.
func (s *Store) WatchChanges(ctx context.Context, changed func(), reach func(error)) {
	ctx, stop := context.WithCancel(ctx)
	w := &watcher{s: s, changed: changed, reach: reach, wake: make(chan struct{}, 1), stop: stop}
	if s.dialect == onPostgres {
		go w.listen(ctx)
	}
	go w.poll(ctx)
}

// watcher is one WatchChanges.
type watcher struct {
	s       *Store
	changed func()
	reach   func(error)
	wake    chan struct{} // a notification came, or the listener is up or down
	stop    func()

	mu        sync.Mutex
	listening bool // the listener's connection is up
}

// poll reads the count whenever woken, and every watchEvery (nothing to
// listen to) or watchFallback (listening), and calls changed when it moved.
func (w *watcher) poll(ctx context.Context) {
	defer w.stop()
	last, lastErr := w.version(ctx)
	if lastErr != nil && w.reach != nil {
		w.reach(lastErr)
	}
	for {
		every := watchEvery
		w.mu.Lock()
		if w.listening && lastErr == nil {
			every = watchFallback
		}
		w.mu.Unlock()
		t := time.NewTimer(every)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-w.wake:
		case <-t.C:
		}
		t.Stop()
		if w.s.isClosed() {
			return
		}
		v, err := w.version(ctx)
		if ctx.Err() != nil {
			return
		}
		if (err == nil) != (lastErr == nil) && w.reach != nil {
			w.reach(err)
		}
		if err == nil && (v != last || lastErr != nil) {
			// Back from an outage, what was missed is read again.
			w.changed()
		}
		if err == nil {
			last = v
		}
		lastErr = err
	}
}

// version is the count of other programs' writes, or why it cannot be read.
func (w *watcher) version(ctx context.Context) (int64, error) {
	v, _, err := w.s.searchVersion(ctx)
	if err != nil && w.s.dialect == onPostgres {
		return 0, w.s.explain(err)
	}
	return v, err
}

// listen holds a connection of its own that listens on changesChannel and
// wakes poll for each notification, connecting again whenever the
// connection is lost.
func (w *watcher) listen(ctx context.Context) {
	for ctx.Err() == nil {
		// When the connection fails, poll reads the count and tells
		// reach; this only tries again.
		w.listenOnce(ctx)
		w.setListening(false)
		if ctx.Err() != nil || w.s.isClosed() {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(watchEvery):
		}
	}
}

// listenOnce listens on one connection until it fails or ctx ends; the
// connection is then dropped, never handed back to the pool.
func (w *watcher) listenOnce(ctx context.Context) error {
	db, err := w.s.writer()
	if err != nil {
		db = w.s.reader()
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		pc, ok := dc.(*pgConn)
		if !ok {
			return errors.New("not a PostgreSQL connection")
		}
		sc, ok := pc.c.(*stdlib.Conn)
		if !ok {
			return errors.New("not a pgx connection")
		}
		c := sc.Conn()
		if _, err := c.Exec(ctx, "LISTEN "+changesChannel); err != nil {
			return errors.Join(err, driver.ErrBadConn)
		}
		w.setListening(true)
		for {
			if _, err := c.WaitForNotification(ctx); err != nil {
				return errors.Join(err, driver.ErrBadConn)
			}
			select {
			case w.wake <- struct{}{}:
			default:
			}
		}
	})
}

func (w *watcher) setListening(on bool) {
	w.mu.Lock()
	changed := w.listening != on
	w.listening = on
	w.mu.Unlock()
	if changed {
		select {
		case w.wake <- struct{}{}:
		default:
		}
	}
}

// isClosed says whether Close was called.
func (s *Store) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}
