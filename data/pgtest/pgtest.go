// Package pgtest starts a throwaway PostgreSQL server for tests.
//
// It runs Debian's PostgreSQL programs (/usr/lib/postgresql/*/bin, from the
// postgresql package `make deps` installs): initdb makes a cluster in a
// temporary folder, and the server is reached only through a Unix socket in
// that folder — nothing listens on the network. Tests run as root, which
// initdb and the server refuse, so as root the programs run as the
// postgres user. Every server has a folder of its own, so several test
// binaries may start theirs at once.
//
// Start gives a test a server of its own, stopped and removed when the test
// ends. Shared gives each caller a fresh database on one server per test
// binary; a package using it stops that server from its TestMain with Main.
package pgtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver for database/sql
)

// Port names the server's socket file (.s.PGSQL.<Port>) in its folder; no
// TCP port is opened.
const Port = 5432

// Server is one running throwaway PostgreSQL.
type Server struct {
	dir   string // the folder: the cluster in data/, the socket, the log
	bin   string // the folder of initdb, postgres and pg_ctl
	cred  *syscall.Credential
	cmd   *exec.Cmd
	exit  chan struct{} // closed when the server process has ended
	admin *sql.DB       // the "postgres" database, to create others
	n     atomic.Int64
}

// Start starts a server for t alone and returns the DSN of an empty
// database "regulars" on it, for the "pgx" driver of database/sql. The
// server is stopped and its folder removed when t ends.
func Start(t testing.TB) string {
	t.Helper()
	s := StartServer(t)
	dsn, err := s.CreateDatabase(context.Background(), "regulars")
	if err != nil {
		t.Fatal(err)
	}
	return dsn
}

// StartServer starts a server for t alone, stopped and removed when t
// ends; a test that stops and starts it again (Halt, Resume) uses it.
func StartServer(t testing.TB) *Server {
	t.Helper()
	t0 := time.Now()
	s, err := NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("a throwaway PostgreSQL in %s accepted connections after %v", s.dir, time.Since(t0).Round(time.Millisecond))
	t.Cleanup(func() {
		if err := s.Stop(); err != nil {
			t.Error(err)
		}
	})
	return s
}

var shared struct {
	once sync.Once
	srv  *Server
	err  error
}

// Shared returns the DSN of a fresh, empty database on the test binary's
// one shared server, starting it on the first call. The database is
// dropped when t ends; the server lives until Main stops it.
func Shared(t testing.TB) string {
	t.Helper()
	shared.once.Do(func() {
		t0 := time.Now()
		shared.srv, shared.err = NewServer()
		if shared.err == nil {
			t.Logf("the shared throwaway PostgreSQL in %s accepted connections after %v", shared.srv.dir, time.Since(t0).Round(time.Millisecond))
		}
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	s := shared.srv
	name := fmt.Sprintf("t%d", s.n.Add(1))
	dsn, err := s.CreateDatabase(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := s.admin.Exec(`DROP DATABASE IF EXISTS "` + name + `" WITH (FORCE)`); err != nil {
			t.Errorf("the test database %s could not be dropped: %v", name, err)
		}
	})
	return dsn
}

// Main runs a package's tests and then stops the shared server, if one was
// started: func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }.
func Main(m *testing.M) int {
	code := m.Run()
	if shared.srv != nil {
		if err := shared.srv.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			if code == 0 {
				code = 1
			}
		}
	}
	return code
}

// NewServer makes a cluster in a new temporary folder and starts a server
// on it, waiting until it accepts connections.
func NewServer() (*Server, error) {
	bin, err := findBin()
	if err != nil {
		return nil, err
	}
	s := &Server{bin: bin, exit: make(chan struct{})}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, errors.New("the postgres user is missing: PostgreSQL refuses to run as root, and the postgresql package makes that user")
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		s.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	}
	s.dir, err = os.MkdirTemp(tempBase(), "regulars-pg-")
	if err != nil {
		return nil, fmt.Errorf("no folder for a test PostgreSQL: %w", err)
	}
	if s.cred != nil {
		if err := os.Chown(s.dir, int(s.cred.Uid), int(s.cred.Gid)); err != nil {
			os.RemoveAll(s.dir)
			return nil, fmt.Errorf("the test PostgreSQL's folder cannot be given to the postgres user: %w", err)
		}
	}
	if err := s.start(); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

func (s *Server) data() string { return filepath.Join(s.dir, "data") }

// run runs one of PostgreSQL's programs to its end, as the postgres user
// when the test runs as root.
func (s *Server) run(name string, args ...string) error {
	cmd := s.command(name, args...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return nil
}

func (s *Server) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(s.bin, name), args...)
	cmd.Dir = s.dir
	cmd.Env = []string{"PATH=" + s.bin + ":/usr/bin:/bin", "LC_ALL=C", "LANG=C"}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
	return cmd
}

func (s *Server) start() error {
	if err := s.run("initdb", "-D", s.data(), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"); err != nil {
		return fmt.Errorf("the test PostgreSQL's cluster could not be made: %w", err)
	}
	return s.launch()
}

// Halt stops the server as an administrator would (pg_ctl stop -m fast:
// every connection is ended, what was committed is kept), leaving its
// folder for Resume. Connections fail until then.
func (s *Server) Halt() error {
	select {
	case <-s.exit:
		return errors.New("the test PostgreSQL is not running")
	default:
	}
	if err := s.run("pg_ctl", "stop", "-D", s.data(), "-m", "fast", "-w", "-t", "30"); err != nil {
		return err
	}
	<-s.exit
	return nil
}

// Resume starts a server stopped by Halt again on the same cluster and
// waits until it accepts connections.
func (s *Server) Resume() error {
	select {
	case <-s.exit:
	default:
		return errors.New("the test PostgreSQL is still running")
	}
	if s.admin != nil {
		s.admin.Close()
	}
	s.exit = make(chan struct{})
	return s.launch()
}

// launch starts the server on the cluster in the folder and waits until it
// accepts connections.
func (s *Server) launch() error {
	log, err := os.OpenFile(filepath.Join(s.dir, "server.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer log.Close()
	if s.cred != nil {
		log.Chown(int(s.cred.Uid), int(s.cred.Gid))
	}
	// The server runs as this process's child: should the test binary die
	// without stopping it, the kernel kills it (Pdeathsig). fsync and
	// friends are off: a throwaway cluster needs no durability.
	s.cmd = s.command("postgres", "-D", s.data(), "-p", strconv.Itoa(Port),
		"-c", "listen_addresses=", "-c", "unix_socket_directories="+s.dir,
		"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
		"-c", "max_connections=50", "-c", "shared_buffers=32MB")
	s.cmd.Stdout, s.cmd.Stderr = log, log
	s.cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
	if err := s.cmd.Start(); err != nil {
		return fmt.Errorf("the test PostgreSQL could not start: %w", err)
	}
	exit := s.exit
	go func() { s.cmd.Wait(); close(exit) }()

	s.admin, err = sql.Open("pgx", s.DSN("postgres"))
	if err != nil {
		return err
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err = s.admin.PingContext(ctx)
		cancel()
		if err == nil {
			break
		}
		select {
		case <-s.exit:
			return fmt.Errorf("the test PostgreSQL stopped as it started:\n%s", s.logTail())
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the test PostgreSQL did not accept connections within 30 s (%v):\n%s", err, s.logTail())
		}
		time.Sleep(20 * time.Millisecond)
	}
	return nil
}

func (s *Server) logTail() string {
	b, _ := os.ReadFile(filepath.Join(s.dir, "server.log"))
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

// URL is the postgres:// address of the test database dsn names, as a
// till is pointed at it: its socket folder as the host, no sslmode.
func URL(t testing.TB, dsn string) string {
	t.Helper()
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("postgres://%s@/%s?host=%s&port=%d", cfg.User, cfg.Database, url.QueryEscape(cfg.Host), cfg.Port)
}

// Dir is the server's folder; its socket is Dir()/.s.PGSQL.<Port>.
func (s *Server) Dir() string { return s.dir }

// DSN is the connection string of the database name on s.
func (s *Server) DSN(name string) string {
	return fmt.Sprintf("host='%s' port=%d user=postgres dbname='%s' sslmode=disable", s.dir, Port, name)
}

// CreateDatabase makes an empty database and returns its DSN.
func (s *Server) CreateDatabase(ctx context.Context, name string) (string, error) {
	if _, err := s.admin.ExecContext(ctx, `CREATE DATABASE "`+name+`"`); err != nil {
		return "", fmt.Errorf("the test database %s could not be made: %w", name, err)
	}
	return s.DSN(name), nil
}

// Stop stops the server at once (pg_ctl stop -m immediate: nothing is kept)
// and removes its folder.
func (s *Server) Stop() error {
	if s.admin != nil {
		s.admin.Close()
	}
	var err error
	if s.cmd != nil && s.cmd.Process != nil {
		select {
		case <-s.exit:
		default:
			if e := s.run("pg_ctl", "stop", "-D", s.data(), "-m", "immediate", "-w", "-t", "10"); e != nil {
				s.cmd.Process.Kill()
			}
			select {
			case <-s.exit:
			case <-time.After(10 * time.Second):
				s.cmd.Process.Kill()
				<-s.exit
			}
		}
	}
	if s.dir != "" {
		if e := os.RemoveAll(s.dir); e != nil {
			err = fmt.Errorf("the test PostgreSQL's folder could not be removed: %w", e)
		}
	}
	return err
}

// binGlob is where Debian puts each version's initdb.
var binGlob = "/usr/lib/postgresql/*/bin/initdb"

// findBin finds the folder of PostgreSQL's server programs: the newest
// /usr/lib/postgresql/<version>/bin, or initdb on the PATH.
func findBin() (string, error) {
	found, _ := filepath.Glob(binGlob)
	sort.Slice(found, func(i, j int) bool { return version(found[i]) > version(found[j]) })
	for _, f := range found {
		dir := filepath.Dir(f)
		if isFile(filepath.Join(dir, "postgres")) && isFile(filepath.Join(dir, "pg_ctl")) {
			return dir, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		dir := filepath.Dir(p)
		if isFile(filepath.Join(dir, "postgres")) && isFile(filepath.Join(dir, "pg_ctl")) {
			return dir, nil
		}
	}
	if os.Getenv("CI") == "true" {
		return "", errors.New("PostgreSQL's server programs (/usr/lib/postgresql/*/bin/initdb, pg_ctl, postgres) are missing on this CI machine: `make deps` installs the postgresql package before the tests")
	}
	return "", errors.New("PostgreSQL's server programs (/usr/lib/postgresql/*/bin/initdb, pg_ctl, postgres) are missing: install them with `make deps` (or apt-get install postgresql)")
}

// version reads the number in /usr/lib/postgresql/<n>/bin/initdb.
func version(initdb string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(initdb))))
	return n
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

// tempBase is where the server's folder goes: the usual temporary folder
// when the postgres user can reach it and the socket's path stays short
// (a Unix socket's path holds at most 107 bytes), /tmp otherwise.
func tempBase() string {
	base := os.TempDir()
	if len(base) > 60 {
		return "/tmp"
	}
	if os.Geteuid() == 0 {
		for d := base; ; d = filepath.Dir(d) {
			st, err := os.Stat(d)
			if err != nil || st.Mode().Perm()&0o001 == 0 {
				return "/tmp"
			}
			if d == filepath.Dir(d) {
				break
			}
		}
	}
	return base
}
