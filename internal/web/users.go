package web

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	rw "routewarden/internal/routewarden"
)

type userForm struct {
	Email    string `form:"email" validate:"required,email,max=254"`
	Name     string `form:"name" validate:"max=200"`
	Role     string `form:"role" validate:"required,oneof=admin procurement risk_officer auditor"`
	Password string `form:"password" validate:"omitempty,min=12,max=200"`
	Disabled bool   `form:"disabled"`
}

type userListView struct {
	Users  []*rw.User
	Roles  []rw.Role
	In     userForm
	Errors map[string]string
}

func (userListView) PageTitle() string                { return "Users" }
func (v *userListView) setErrors(m map[string]string) { v.Errors = m }

type userEditView struct {
	Target *rw.User
	Roles  []rw.Role
	In     userForm
	Errors map[string]string
}

func (v userEditView) PageTitle() string              { return "Edit " + v.Target.Email }
func (v *userEditView) setErrors(m map[string]string) { v.Errors = m }

func (s *Server) userList(c *gin.Context) {
	view, err := s.userListView(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	view.In.Role = string(rw.RoleProcurement)
	s.render(c, http.StatusOK, "users", view)
}

func (s *Server) userListView(c *gin.Context) (*userListView, error) {
	users, _, err := s.deps.Users.FindUsers(c.Request.Context(), rw.UserFilter{})
	return &userListView{Users: users, Roles: rw.Roles}, err
}

func (s *Server) userCreate(c *gin.Context) {
	var in userForm
	_ = c.ShouldBind(&in)
	view, err := s.userListView(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	view.In = in
	if err = s.check(&in); err == nil && in.Password == "" {
		err = rw.FieldError("password", "Set an initial password of at least 12 characters.")
	}
	if err == nil {
		var hash string
		if hash, err = s.deps.HashPassword(in.Password); err == nil {
			err = s.deps.Users.CreateUser(c.Request.Context(), &rw.User{Email: in.Email, Name: in.Name, Role: rw.Role(in.Role), PasswordHash: hash})
		}
	}
	if rw.ErrorCode(err) == rw.ECONFLICT {
		err = rw.FieldError("email", "A user with this e-mail address already exists.")
	}
	if err != nil {
		s.formError(c, err, "users", view)
		return
	}
	s.log.Info("user created", "request_id", c.GetString(ctxRequestID), "by_user_id", currentUser(c).ID, "role", in.Role)
	s.redirectFlash(c, "/admin/users", "User "+rw.NormalizeEmail(in.Email)+" created.")
}

func (s *Server) loadUser(c *gin.Context) (*rw.User, bool) {
	id, err := vendorID(c, "uid")
	if err == nil {
		var u *rw.User
		if u, err = s.deps.Users.FindUserByID(c.Request.Context(), id); err == nil {
			return u, true
		}
	}
	s.fail(c, err)
	return nil, false
}

func (s *Server) userEdit(c *gin.Context) {
	u, ok := s.loadUser(c)
	if !ok {
		return
	}
	in := userForm{Email: u.Email, Name: u.Name, Role: string(u.Role), Disabled: u.Disabled}
	s.render(c, http.StatusOK, "user_form", &userEditView{Target: u, Roles: rw.Roles, In: in})
}

func (s *Server) userUpdate(c *gin.Context) {
	u, ok := s.loadUser(c)
	if !ok {
		return
	}
	var in userForm
	_ = c.ShouldBind(&in)
	in.Email = u.Email
	view := &userEditView{Target: u, Roles: rw.Roles, In: in}
	err := s.check(&in)
	if err == nil {
		role := rw.Role(in.Role)
		upd := rw.UserUpdate{Name: &in.Name, Role: &role, Disabled: &in.Disabled}
		if in.Password != "" {
			var hash string
			if hash, err = s.deps.HashPassword(in.Password); err == nil {
				upd.PasswordHash = &hash
			}
		}
		if err == nil {
			_, err = s.deps.Users.UpdateUser(c.Request.Context(), u.ID, upd)
		}
	}
	if err != nil {
		s.formError(c, err, "user_form", view)
		return
	}
	s.log.Info("user updated", "request_id", c.GetString(ctxRequestID), "by_user_id", currentUser(c).ID, "user_id", u.ID)
	s.redirectFlash(c, "/admin/users", fmt.Sprintf("User %s updated.", u.Email))
}
