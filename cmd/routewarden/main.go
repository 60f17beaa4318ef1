// Command routewarden is Routewarden's single binary: the web server and API, migrations, demo
// seeding, user and token administration, the control library, routing-data import and checks,
// origin validation and MRT tools.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"routewarden/controls"
)

// Exit codes shared by every subcommand.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

const usage = `Routewarden — routing-security assurance for your internet suppliers.

Usage: routewarden COMMAND [flags] [args]

Service:
  serve [--addr] [--db] [--data-dir] [--demo]   migrate, optionally seed the demo, serve the web UI and API
  migrate up|status                            apply or list the schema migrations
  seed --demo                                  fill an empty database with the labelled demo portfolio
  user add --email E --role R [--password-stdin]  create a user (roles: admin, procurement, risk_officer, auditor)
  token create --user EMAIL [--name N] [--expires 90d]   create an API bearer token (printed once)
  token list [--user EMAIL] | token revoke ID | token revoke --user EMAIL   list or revoke API tokens
  audit verify                                 check the hash chain of the append-only audit log
  backup FILE                                  write a consistent, portable backup (database, evidence, keys) while serving
  restore FILE                                 load a backup into an empty SQLite or PostgreSQL database (--db)

  Exposure (environment): ROUTEWARDEN_PUBLIC_URL (required with ROUTEWARDEN_SMTP_HOST: links in e-mails use it),
  ROUTEWARDEN_TRUSTED_PROXIES (CIDRs whose X-Forwarded-For is believed; default none), ROUTEWARDEN_METRICS
  (loopback [default]: /metrics for local clients and metrics tokens; on; off; token) and ROUTEWARDEN_METRICS_TOKEN.

Control library:
  controls list|show|lint|diff                 browse, check and compare the control library
  obligations list                             the DORA / NIS2 / CER obligation catalogue

Routing data:
  import KIND FILE...                          import a snapshot (vrps, routes, irr, asrel, peeringdb, bogons, manrs, spoofer)
  check [--format table|json] ASN...           run every routing-evidence check for ASNs over the latest snapshots
  sync vrps|ris|peeringdb|manrs...             fetch live sources into snapshots (URLs and keys: see README)
  rov --vrps FILE --routes FILE [--format text|json]   RFC 6811 origin validation of a route list
  mrt dump FILE...                             print MRT records in bgpdump -m format

Monitoring:
  worker [--workers N]                         work background jobs only (scheduled sync and re-check, webhooks)
  monitor run [--format table|json]            one monitor pass now: re-check every vendor ASN, record history, evaluate alert rules
  alerts list [--state S] [--format table|json]   list alerts (state: open, acknowledged, resolved, active)
  Schedules (cron syntax or off): ROUTEWARDEN_SCHEDULE_SYNC (default "15 4 * * *"), ROUTEWARDEN_SCHEDULE_RECHECK
  (default "30 * * * *"); ROUTEWARDEN_HISTORY_RETENTION_DAYS (400); ROUTEWARDEN_WEBHOOK_ALLOW_PRIVATE=1 lets webhooks
  reach loopback and private addresses.

Attestations:
  attest --assessment ID --out FILE            issue a signed attestation PDF of an approved assessment
  verify FILE                                  check a signed attestation PDF (signature, certificate, registry, revocation)
  report concentration [--format table|json]   upstream networks shared by services, from observed BGP paths
  report obligations [--format table|json|csv] [--regulation R] [--tier T] [--critical yes|no]
                                               obligations coverage across suppliers (met, partly, failed, unknown)
  report board --out FILE.pdf                  signed board / supervisor report PDF
  report roi --out FILE [--format xbrl-csv|xlsx] [--force]  DORA register of information (lint first; refused with problems unless --force)
  Signing key (environment only): ROUTEWARDEN_SIGN_CERT + ROUTEWARDEN_SIGN_KEY (PEM), or ROUTEWARDEN_SIGN_P12 with
  ROUTEWARDEN_SIGN_P12_PASSWORD; ROUTEWARDEN_TSA_URL adds RFC 3161 timestamps; ROUTEWARDEN_PUBLIC_URL is printed as
  where to verify. Without a key, a self-signed development certificate is made and kept in the database, shared by
  every instance on it (with a warning; not for production).

Other:
  load [--duration 20s] [--db postgres://…]    measure req/s and latency on a throw-away database (loopback only)
  version                                      print the version
  help                                         this text

Common flags (also as environment variables):
  --db DSN          ROUTEWARDEN_DB        SQLite file path or postgres://… URL (default: DATA_DIR/routewarden.db)
  --data-dir DIR    ROUTEWARDEN_DATA_DIR  where the SQLite database and keys live (default: ./data)
  --log-level L     ROUTEWARDEN_LOG_LEVEL debug, info, warn, error (default: info)
  --log-format F    ROUTEWARDEN_LOG_FORMAT text or json (default: text)

Exit codes: 0 success, 1 failure, 2 usage error.
`

// run dispatches to a subcommand and returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "help", "-h", "--help", "-help":
		fmt.Fprint(stdout, usage)
		return exitOK
	case "version", "--version":
		fmt.Fprintln(stdout, "routewarden", versionString())
		return exitOK
	case "serve":
		return cmdServe(ctx, rest, stdout, stderr, getenv)
	case "migrate":
		return cmdMigrate(ctx, rest, stdout, stderr, getenv)
	case "seed":
		return cmdSeed(ctx, rest, stdout, stderr, getenv)
	case "user":
		return cmdUser(ctx, rest, stdin, stdout, stderr, getenv)
	case "token":
		return cmdToken(ctx, rest, stdout, stderr, getenv)
	case "audit":
		return cmdAudit(ctx, rest, stdout, stderr, getenv)
	case "backup":
		return cmdBackup(ctx, rest, stdout, stderr, getenv)
	case "restore":
		return cmdRestore(ctx, rest, stdout, stderr, getenv)
	case "controls":
		return runControls(rest, stdout, stderr, controls.FS)
	case "obligations":
		return runObligations(rest, stdout, stderr, controls.FS)
	case "import":
		return cmdImport(ctx, rest, stdout, stderr, getenv)
	case "check":
		return cmdCheck(ctx, rest, stdout, stderr, getenv)
	case "sync":
		return cmdSync(ctx, rest, stdout, stderr, getenv)
	case "rov":
		return runROV(rest, stdin, stdout, stderr)
	case "mrt":
		return runMRT(rest, stdout, stderr)
	case "attest":
		return cmdAttest(ctx, rest, stdout, stderr, getenv)
	case "monitor":
		return cmdMonitor(ctx, rest, stdout, stderr, getenv)
	case "alerts":
		return cmdAlerts(ctx, rest, stdout, stderr, getenv)
	case "worker":
		return cmdWorker(ctx, rest, stdout, stderr, getenv)
	case "verify":
		return cmdVerify(ctx, rest, stdout, stderr, getenv)
	case "report":
		return cmdReport(ctx, rest, stdout, stderr, getenv)
	case "load":
		return cmdLoad(ctx, rest, stdout, stderr, getenv)
	}
	fmt.Fprintf(stderr, "routewarden: unknown command %q (see `routewarden help`)\n", cmd)
	return exitUsage
}
