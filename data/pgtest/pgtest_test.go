package pgtest

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

func open(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// A server of its own: it answers on its socket only, and is gone with its
// folder once the test ends.
func TestPGStartStopsAndRemovesItsFolder(t *testing.T) {
	var dir string
	t.Run("server", func(t *testing.T) {
		db := open(t, Start(t))
		var one int
		var listen, socketDir, user, name string
		err := db.QueryRow("SELECT 1, current_setting('listen_addresses'), current_setting('unix_socket_directories'), current_user, current_database()").
			Scan(&one, &listen, &socketDir, &user, &name)
		if err != nil {
			t.Fatal(err)
		}
		if one != 1 || listen != "" || user != "postgres" || name != "regulars" {
			t.Errorf("got %d, listen_addresses %q, user %q, database %q", one, listen, user, name)
		}
		dir = socketDir
		if _, err := os.Stat(filepath.Join(dir, ".s.PGSQL.5432")); err != nil {
			t.Errorf("no socket in the server's folder: %v", err)
		}
		var addr sql.NullString
		if err := db.QueryRow("SELECT inet_server_addr()::text").Scan(&addr); err != nil || addr.Valid {
			t.Errorf("the connection is not over a Unix socket: %v %v", addr, err)
		}
	})
	if dir == "" {
		t.Fatal("no folder seen")
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the folder %s is still there after the test: %v", dir, err)
	}
}

// Shared: one server, a fresh database for each caller.
func TestPGSharedGivesFreshDatabases(t *testing.T) {
	a, b := open(t, Shared(t)), open(t, Shared(t))
	if _, err := a.Exec("CREATE TABLE x (n BIGINT)"); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := b.QueryRow("SELECT count(*) FROM pg_tables WHERE tablename = 'x'").Scan(&n); err != nil || n != 0 {
		t.Errorf("the second database sees the first one's table: %d, %v", n, err)
	}
	var da, db string
	a.QueryRow("SELECT current_database()").Scan(&da)
	b.QueryRow("SELECT current_database()").Scan(&db)
	if da == db || shared.srv == nil {
		t.Errorf("databases %q and %q", da, db)
	}
	if err := shared.srv.admin.PingContext(context.Background()); err != nil {
		t.Error(err)
	}
}

// Without PostgreSQL's programs the test fails with one sentence saying
// how to get them, on CI and off it alike.
func TestPGMissingProgramsSaySo(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	defer func(g string) { binGlob = g }(binGlob)
	binGlob = filepath.Join(t.TempDir(), "*", "bin", "initdb")
	for _, ci := range []string{"true", ""} {
		t.Setenv("CI", ci)
		_, err := NewServer()
		if err == nil || !strings.Contains(err.Error(), "make deps") || strings.Count(err.Error(), ". ") > 0 {
			t.Errorf("CI=%q: %v", ci, err)
		}
	}
}
