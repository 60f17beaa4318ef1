// Package mail sends the e-mails Routewarden queues in its outbox (invitations, reminders) over
// SMTP, retrying with back-off, and issues the due-date reminders. Without SMTP settings nothing
// is queued: the analyst is shown each link to send by hand.
package mail

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/smtp"
	"strconv"
	"strings"
	"time"

	rw "routewarden/internal/routewarden"
)

// Config holds the SMTP settings, from ROUTEWARDEN_SMTP_* variables.
type Config struct {
	Host     string // empty: mail is off
	Port     int    // default 587
	Username string
	Password string // never logged
	From     string // sender address
	// TLS is "starttls" (default), "tls" (implicit, port 465) or "none" (local relays only).
	TLS string
}

// ConfigFromEnv reads ROUTEWARDEN_SMTP_HOST, _PORT, _USERNAME, _PASSWORD, _FROM and _TLS.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := Config{Host: getenv("ROUTEWARDEN_SMTP_HOST"), Username: getenv("ROUTEWARDEN_SMTP_USERNAME"),
		Password: getenv("ROUTEWARDEN_SMTP_PASSWORD"), From: getenv("ROUTEWARDEN_SMTP_FROM"), TLS: getenv("ROUTEWARDEN_SMTP_TLS"), Port: 587}
	if p := getenv("ROUTEWARDEN_SMTP_PORT"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n <= 0 || n > 65535 {
			return c, fmt.Errorf("ROUTEWARDEN_SMTP_PORT must be a port number (got %q)", p)
		}
		c.Port = n
	}
	return c, c.Validate()
}

// Enabled reports whether SMTP is configured.
func (c Config) Enabled() bool { return c.Host != "" }

// Validate checks the settings when mail is enabled.
func (c Config) Validate() error {
	if !c.Enabled() {
		return nil
	}
	if c.TLS == "" {
		c.TLS = "starttls"
	}
	switch c.TLS {
	case "starttls", "tls", "none":
	default:
		return fmt.Errorf("ROUTEWARDEN_SMTP_TLS must be starttls, tls or none (got %q)", c.TLS)
	}
	if !rw.ValidEmail(rw.NormalizeEmail(c.From)) {
		return fmt.Errorf("ROUTEWARDEN_SMTP_FROM must be the sender's e-mail address (got %q)", c.From)
	}
	return nil
}

// Message renders m as an RFC 5322 message from the given sender. Header values are single
// lines (the outbox refuses line breaks in subjects); the body is sent as UTF-8 text.
func Message(from string, m *rw.Mail, now time.Time) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\n", from, m.To, encodeHeader(m.Subject), now.Format(time.RFC1123Z))
	fmt.Fprintf(&b, "Message-ID: <outbox-%d.%d@routewarden>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n", m.ID, m.CreatedAt.Unix())
	body := strings.ReplaceAll(strings.ReplaceAll(m.Body, "\r\n", "\n"), "\n", "\r\n")
	// A line holding only "." would end the DATA section early; dot-stuff it.
	body = strings.ReplaceAll(body, "\r\n.", "\r\n..")
	b.WriteString(body)
	return []byte(b.String())
}

// encodeHeader encodes a non-ASCII header value as an RFC 2047 encoded word.
func encodeHeader(s string) string {
	for _, r := range s {
		if r > 127 {
			return "=?utf-8?q?" + qEncode(s) + "?="
		}
	}
	return s
}

func qEncode(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		switch {
		case c == ' ':
			b.WriteByte('_')
		case c >= '0' && c <= '9', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '.', c == '-':
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "=%02X", c)
		}
	}
	return b.String()
}

// SMTPSender delivers messages with net/smtp.
type SMTPSender struct {
	Config  Config
	Timeout time.Duration
}

// Send delivers one message.
func (s SMTPSender) Send(m *rw.Mail, now time.Time) error {
	c := s.Config
	addr := net.JoinHostPort(c.Host, strconv.Itoa(c.Port))
	timeout := s.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	var conn net.Conn
	var err error
	if c.TLS == "tls" {
		conn, err = tls.DialWithDialer(&net.Dialer{Timeout: timeout}, "tcp", addr, &tls.Config{ServerName: c.Host, MinVersion: tls.VersionTLS12})
	} else {
		conn, err = net.DialTimeout("tcp", addr, timeout)
	}
	if err != nil {
		return fmt.Errorf("connect to %s: %w", addr, err)
	}
	_ = conn.SetDeadline(now.Add(timeout))
	client, err := smtp.NewClient(conn, c.Host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("smtp %s: %w", addr, err)
	}
	defer client.Close()
	if c.TLS == "" || c.TLS == "starttls" {
		if err := client.StartTLS(&tls.Config{ServerName: c.Host, MinVersion: tls.VersionTLS12}); err != nil {
			return fmt.Errorf("smtp %s: STARTTLS: %w", addr, err)
		}
	}
	if c.Username != "" {
		if err := client.Auth(smtp.PlainAuth("", c.Username, c.Password, c.Host)); err != nil {
			return fmt.Errorf("smtp %s: authentication failed: %w", addr, err)
		}
	}
	if err := client.Mail(c.From); err != nil {
		return fmt.Errorf("smtp MAIL FROM: %w", err)
	}
	if err := client.Rcpt(m.To); err != nil {
		return fmt.Errorf("smtp RCPT TO %s: %w", m.To, err)
	}
	w, err := client.Data()
	if err != nil {
		return fmt.Errorf("smtp DATA: %w", err)
	}
	if _, err := w.Write(Message(c.From, m, now)); err != nil {
		return fmt.Errorf("smtp DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("smtp DATA: %w", err)
	}
	return client.Quit()
}
