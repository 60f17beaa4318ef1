package web

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	rw "routewarden/internal/routewarden"
	"routewarden/internal/secret"
)

const (
	sessionCookie = "rw_session"
	loginCSRF     = "rw_login_csrf"
	ctxUser       = "user"
	ctxSession    = "session"
)

func currentUser(c *gin.Context) *rw.User {
	if u, ok := c.Get(ctxUser); ok {
		return u.(*rw.User)
	}
	return nil
}

func currentSession(c *gin.Context) *rw.Session {
	if s, ok := c.Get(ctxSession); ok {
		return s.(*rw.Session)
	}
	return nil
}

// authenticate finds the caller: a bearer token (API) or the session cookie. API routes accept
// both, pages only sessions.
func (s *Server) authenticate(api bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx := c.Request.Context()
		if h := c.GetHeader("Authorization"); api && h != "" {
			tok, ok := strings.CutPrefix(h, "Bearer ")
			if !ok || tok == "" {
				s.fail(c, rw.Errorf(rw.EUNAUTHORIZED, "The Authorization header must be \"Bearer <token>\"."))
				return
			}
			t, err := s.deps.Auth.FindAPIToken(ctx, secret.HashToken(strings.TrimSpace(tok)))
			if err != nil {
				s.fail(c, unauthorized(err, "The bearer token is not valid; create one with `routewarden token create`."))
				return
			}
			if t.LastUsedAt == nil || s.now().Sub(*t.LastUsedAt) > time.Minute {
				_ = s.deps.Auth.TouchAPIToken(ctx, t.ID, s.now())
			}
			c.Set(ctxUser, t.User)
			c.Next()
			return
		}
		if raw, err := c.Cookie(sessionCookie); err == nil && raw != "" {
			sess, err := s.deps.Auth.FindSession(ctx, secret.HashToken(raw), s.now())
			if err == nil {
				c.Set(ctxUser, sess.User)
				c.Set(ctxSession, sess)
				c.Next()
				return
			}
			if rw.ErrorCode(err) == rw.EINTERNAL {
				s.fail(c, err)
				return
			}
		}
		s.fail(c, rw.Errorf(rw.EUNAUTHORIZED, "Sign in first: send a bearer token or log in."))
	}
}

func unauthorized(err error, msg string) error {
	if rw.ErrorCode(err) == rw.EINTERNAL {
		return err
	}
	return rw.Errorf(rw.EUNAUTHORIZED, "%s", msg)
}

// require lets the request through only if the user's role holds perm.
func (s *Server) require(perm rw.Permission, api bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		u := currentUser(c)
		if u == nil || !u.Role.Can(perm) {
			s.fail(c, rw.Errorf(rw.EFORBIDDEN, "Your role (%s) may not do this.", roleLabel(u)))
			return
		}
		c.Next()
	}
}

func roleLabel(u *rw.User) string {
	if u == nil {
		return "none"
	}
	return u.Role.Label()
}

// checkCSRF requires the session's CSRF token in the _csrf form field (or X-CSRF-Token header)
// on every state-changing request made with a session cookie. Bearer-token requests carry no
// ambient credentials and need none.
func (s *Server) checkCSRF(c *gin.Context) {
	sess := currentSession(c)
	if sess == nil || c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead {
		c.Next()
		return
	}
	got := c.GetHeader("X-CSRF-Token")
	if got == "" {
		// The body was bounded by limitBody; a form over that limit is refused as too large.
		if err := s.parseForm(c); err != nil {
			s.fail(c, err)
			return
		}
		got = c.PostForm("_csrf")
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(sess.CSRFToken)) != 1 {
		s.fail(c, rw.Errorf(rw.EFORBIDDEN, "The form expired or did not come from this site (CSRF check failed). Reload the page and try again."))
		return
	}
	c.Next()
}

type loginView struct {
	Email, Next, Error, CSRF string
	Demo                     bool
	DemoUsers                []string
}

func (s *Server) loginPage(c *gin.Context) {
	if raw, err := c.Cookie(sessionCookie); err == nil && raw != "" {
		if _, err := s.deps.Auth.FindSession(c.Request.Context(), secret.HashToken(raw), s.now()); err == nil {
			c.Redirect(http.StatusSeeOther, safeNext(c.Query("next")))
			return
		}
	}
	s.renderLogin(c, http.StatusOK, c.Query("next"), "", "")
}

func (s *Server) renderLogin(c *gin.Context, status int, next, email, msg string) {
	tok := secret.NewToken("")
	s.setCookie(c, loginCSRF, tok, 3600)
	v := loginView{Email: email, Next: next, Error: msg, CSRF: tok, Demo: s.cfg.Demo}
	if s.cfg.Demo {
		v.DemoUsers = []string{"admin@demo.example", "procurement@demo.example", "risk@demo.example", "auditor@demo.example"}
	}
	s.render(c, status, "login", v)
}

type loginForm struct {
	Email    string `form:"email"`
	Password string `form:"password"`
	Next     string `form:"next"`
	CSRF     string `form:"_csrf"`
}

// Sign-in attempts allowed per minute (see Server.limiter).
const (
	loginPerAccount = 5
	loginPerAddress = 20
)

// login checks the password, rate-limited per client address and per e-mail address.
func (s *Server) login(c *gin.Context) {
	var f loginForm
	if err := s.parseForm(c); err != nil {
		s.fail(c, err)
		return
	}
	_ = c.ShouldBind(&f)
	cookie, _ := c.Cookie(loginCSRF)
	if cookie == "" || subtle.ConstantTimeCompare([]byte(cookie), []byte(f.CSRF)) != 1 {
		s.renderLogin(c, http.StatusForbidden, f.Next, f.Email, "The login form expired. Please try again.")
		return
	}
	email := rw.NormalizeEmail(f.Email)
	okIP, err := s.addressLimiter.allow(c.Request.Context(), "ip:"+c.ClientIP())
	okEmail, err2 := s.limiter.allow(c.Request.Context(), "email:"+email)
	if err = errors.Join(err, err2); err != nil {
		s.fail(c, err)
		return
	}
	if !okIP || !okEmail {
		s.renderLogin(c, http.StatusTooManyRequests, f.Next, f.Email, "Too many sign-in attempts. Wait a minute and try again.")
		return
	}
	u, err := s.deps.Users.FindUserByEmail(c.Request.Context(), email)
	if err != nil && rw.ErrorCode(err) != rw.ENOTFOUND {
		s.fail(c, err)
		return
	}
	// Unknown and disabled accounts cost the same argon2id work as a wrong password, so the
	// answer time does not tell which e-mail addresses have accounts.
	hash := s.dummyHash
	if u != nil {
		hash = u.PasswordHash
	}
	if ok := s.deps.CheckPassword(hash, f.Password); !ok || u == nil || u.Disabled {
		s.log.Info("login failed", "request_id", c.GetString(ctxRequestID), "client", c.ClientIP())
		s.renderLogin(c, http.StatusUnauthorized, f.Next, f.Email, "E-mail or password is wrong.")
		return
	}
	raw := secret.NewToken("")
	sess := &rw.Session{TokenHash: secret.HashToken(raw), UserID: u.ID, CSRFToken: secret.NewToken(""), ExpiresAt: s.now().Add(s.cfg.SessionTTL)}
	if err := s.deps.Auth.CreateSession(c.Request.Context(), sess); err != nil {
		s.fail(c, err)
		return
	}
	_ = s.deps.Users.TouchUserLogin(c.Request.Context(), u.ID, s.now())
	s.setCookie(c, sessionCookie, raw, int(s.cfg.SessionTTL.Seconds()))
	s.setCookie(c, loginCSRF, "", -1)
	s.log.Info("login", "request_id", c.GetString(ctxRequestID), "user_id", u.ID)
	c.Redirect(http.StatusSeeOther, safeNext(f.Next))
}

// dummyPasswordHash hashes a random secret with the cost parameters of real accounts, once at
// start-up: login checks unknown accounts against it.
func dummyPasswordHash(hash func(string) (string, error)) (string, error) {
	if hash == nil {
		return "", nil
	}
	h, err := hash(secret.NewToken(""))
	if err != nil {
		return "", fmt.Errorf("dummy password hash: %w", err)
	}
	return h, nil
}

func (s *Server) logout(c *gin.Context) {
	if sess := currentSession(c); sess != nil {
		if err := s.deps.Auth.DeleteSession(c.Request.Context(), sess.TokenHash); err != nil {
			s.fail(c, err)
			return
		}
	}
	s.setCookie(c, sessionCookie, "", -1)
	c.Redirect(http.StatusSeeOther, "/login")
}

func (s *Server) setCookie(c *gin.Context, name, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: s.secure(c.Request), SameSite: http.SameSiteLaxMode})
}
