package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	rw "routewarden/internal/routewarden"
	"routewarden/internal/secret"
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

func cmdToken(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	var cfg config
	fs := newFlags("token", &cfg, getenv, stderr)
	email := fs.String("user", "", "e-mail address of the user the token acts for")
	name := fs.String("name", "cli", "a label for the token")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return usageErr(stderr, err)
	}
	if len(pos) != 1 || pos[0] != "create" || *email == "" {
		return usageErr(stderr, fmt.Errorf("usage: routewarden token create --user EMAIL [--name LABEL]"))
	}
	if err := cfg.validate(); err != nil {
		return usageErr(stderr, err)
	}
	db, err := openDB(ctx, &cfg, false, cfg.logger(stderr))
	if err != nil {
		return fail(stderr, err)
	}
	defer db.Close()
	u, err := db.FindUserByEmail(ctx, *email)
	if err != nil {
		return fail(stderr, fmt.Errorf("user %s: %s", *email, rw.ErrorMessage(err)))
	}
	tok := secret.NewToken("rw_")
	if err := db.CreateAPIToken(ctx, &rw.APIToken{UserID: u.ID, Name: *name, TokenHash: secret.HashToken(tok)}); err != nil {
		return fail(stderr, err)
	}
	fmt.Fprintf(stderr, "token %q for %s (%s); it is shown only once, store it now:\n", *name, u.Email, u.Role)
	fmt.Fprintln(stdout, tok)
	return exitOK
}
