package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	rw "routewarden/internal/routewarden"
	"routewarden/internal/secret"
	"routewarden/internal/store"
)

func cmdUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	var cfg config
	fs := newFlags("user", &cfg, getenv, stderr)
	email := fs.String("email", "", "e-mail address")
	name := fs.String("name", "", "display name")
	role := fs.String("role", "", "role: admin, procurement, risk_officer, auditor")
	pwStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return usageErr(stderr, err)
	}
	if len(pos) != 1 || pos[0] != "add" || *email == "" || *role == "" {
		return usageErr(stderr, fmt.Errorf("usage: routewarden user add --email EMAIL --role ROLE [--name NAME] [--password-stdin]"))
	}
	if !rw.Role(*role).Valid() {
		return usageErr(stderr, fmt.Errorf("--role must be one of admin, procurement, risk_officer, auditor (got %q)", *role))
	}
	if err := cfg.validate(); err != nil {
		return usageErr(stderr, err)
	}
	password, generated := "", false
	if *pwStdin {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && err != io.EOF {
			return fail(stderr, fmt.Errorf("read password: %w", err))
		}
		password = strings.TrimRight(line, "\r\n")
		if err := secret.CheckStrength(password); err != nil {
			return fail(stderr, err)
		}
	} else {
		password, generated = secret.NewToken("")[:20], true
	}
	db, err := openDB(ctx, &cfg, false, cfg.logger(stderr))
	if err != nil {
		return fail(stderr, err)
	}
	defer db.Close()
	hash, err := secret.HashPassword(password, secret.Default)
	if err != nil {
		return fail(stderr, err)
	}
	u := &rw.User{Email: *email, Name: *name, Role: rw.Role(*role), PasswordHash: hash}
	if err := db.CreateUser(ctx, u); err != nil {
		return fail(stderr, fmt.Errorf("add user %s: %s", *email, rw.ErrorMessage(err)))
	}
	fmt.Fprintf(stdout, "user %s created with role %s (id %d)\n", u.Email, u.Role, u.ID)
	if generated {
		fmt.Fprintf(stdout, "generated password (shown once): %s\n", password)
	}
	return exitOK
}

const tokenUsage = "usage: routewarden token create --user EMAIL [--name LABEL] [--expires 90d] | token list [--user EMAIL] | token revoke ID | token revoke --user EMAIL"

// cmdToken creates, lists and revokes API tokens. A token is shown once, at creation; the
// database keeps only its hash, so a list shows IDs, names and dates, never a secret.
func cmdToken(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	var cfg config
	fs := newFlags("token", &cfg, getenv, stderr)
	email := fs.String("user", "", "e-mail address of the user the token acts for")
	name := fs.String("name", "cli", "a label for the token")
	expires := fs.String("expires", "90d", "lifetime of a new token: days (90d), weeks (12w) or hours (36h)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return usageErr(stderr, err)
	}
	if len(pos) == 0 {
		return usageErr(stderr, errors.New(tokenUsage))
	}
	ttl, err := parseLifetime(*expires)
	if err != nil {
		return usageErr(stderr, err)
	}
	switch {
	case pos[0] == "create" && len(pos) == 1 && *email != "":
	case pos[0] == "list" && len(pos) == 1:
	case pos[0] == "revoke" && (len(pos) == 2) != (*email != ""):
	default:
		return usageErr(stderr, errors.New(tokenUsage))
	}
	if err := cfg.validate(); err != nil {
		return usageErr(stderr, err)
	}
	db, err := openDB(ctx, &cfg, false, cfg.logger(stderr))
	if err != nil {
		return fail(stderr, err)
	}
	defer db.Close()
	var u *rw.User
	if *email != "" {
		if u, err = db.FindUserByEmail(ctx, *email); err != nil {
			return fail(stderr, fmt.Errorf("user %s: %s", *email, rw.ErrorMessage(err)))
		}
	}
	switch pos[0] {
	case "create":
		return tokenCreate(ctx, db, u, *name, ttl, stdout, stderr)
	case "list":
		return tokenList(ctx, db, u, stdout, stderr)
	}
	if u != nil {
		n, err := db.DeleteUserAPITokens(ctx, u.ID)
		if err != nil {
			return fail(stderr, err)
		}
		fmt.Fprintf(stdout, "revoked %d token(s) of %s\n", n, u.Email)
		return exitOK
	}
	id, err := strconv.ParseInt(pos[1], 10, 64)
	if err != nil || id <= 0 {
		return usageErr(stderr, fmt.Errorf("token revoke: %q is not a token ID (see `routewarden token list`)", pos[1]))
	}
	if err := db.DeleteAPIToken(ctx, id); err != nil {
		return fail(stderr, fmt.Errorf("token revoke %d: %s", id, rw.ErrorMessage(err)))
	}
	fmt.Fprintf(stdout, "token %d revoked\n", id)
	return exitOK
}

func tokenCreate(ctx context.Context, db *store.DB, u *rw.User, name string, ttl time.Duration, stdout, stderr io.Writer) int {
	tok := secret.NewToken("rw_")
	t := &rw.APIToken{UserID: u.ID, Name: name, TokenHash: secret.HashToken(tok), ExpiresAt: db.Now().Add(ttl)}
	if err := db.CreateAPIToken(ctx, t); err != nil {
		return fail(stderr, err)
	}
	fmt.Fprintf(stderr, "token %d %q for %s (%s), expires %s; it is shown only once, store it now:\n", t.ID, name, u.Email, u.Role,
		t.ExpiresAt.Format(time.DateOnly))
	fmt.Fprintln(stdout, tok)
	return exitOK
}

func tokenList(ctx context.Context, db *store.DB, u *rw.User, stdout, stderr io.Writer) int {
	var uid int64
	if u != nil {
		uid = u.ID
	}
	toks, err := db.FindAPITokens(ctx, uid)
	if err != nil {
		return fail(stderr, err)
	}
	now := db.Now()
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "ID\tNAME\tUSER\tCREATED\tLAST USED\tEXPIRES\n")
	for _, t := range toks {
		used := "never"
		if t.LastUsedAt != nil {
			used = t.LastUsedAt.Format(time.DateTime)
		}
		exp := t.ExpiresAt.Format(time.DateOnly)
		if !t.ExpiresAt.After(now) {
			exp += " (expired)"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.User.Email, t.CreatedAt.Format(time.DateTime), used, exp)
	}
	tw.Flush()
	fmt.Fprintf(stdout, "%d token(s)\n", len(toks))
	return exitOK
}

// parseLifetime reads a token lifetime: Nd (days), Nw (weeks) or a Go duration such as 36h;
// between one hour and ten years.
func parseLifetime(s string) (time.Duration, error) {
	var d time.Duration
	var err error
	if n, ok := strings.CutSuffix(s, "d"); ok {
		var days int
		days, err = strconv.Atoi(n)
		d = time.Duration(days) * 24 * time.Hour
	} else if n, ok := strings.CutSuffix(s, "w"); ok {
		var weeks int
		weeks, err = strconv.Atoi(n)
		d = time.Duration(weeks) * 7 * 24 * time.Hour
	} else {
		d, err = time.ParseDuration(s)
	}
	if err != nil || d < time.Hour || d > 10*366*24*time.Hour {
		return 0, fmt.Errorf("--expires must be a lifetime between 1h and 3660d such as 90d, 12w or 36h (got %q)", s)
	}
	return d, nil
}
