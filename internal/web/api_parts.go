package web

import (
	"context"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	rw "routewarden/internal/routewarden"
)

var fmtSscan = fmt.Sscan

// partIDs reads the vendor ID and, when param is set, the part ID from the path.
func partIDs(c *gin.Context, param string) (vid, id int64, err error) {
	if vid, err = vendorID(c, "id"); err != nil || param == "" {
		return vid, 0, err
	}
	id, err = vendorID(c, param)
	return vid, id, err
}

func (s *Server) apiServiceCreate(c *gin.Context) { s.apiSaveService(c, "") }
func (s *Server) apiServiceUpdate(c *gin.Context) { s.apiSaveService(c, "sid") }

func (s *Server) apiSaveService(c *gin.Context, param string) {
	vid, id, err := partIDs(c, param)
	var in serviceInput
	if err == nil {
		err = s.bindJSON(c, &in)
	}
	var svc *rw.Service
	if err == nil {
		svc, _ = in.domain()
		svc.VendorID, svc.ID = vid, id
		if param == "" {
			err = s.deps.Vendors.CreateService(c.Request.Context(), svc)
		} else {
			err = s.deps.Vendors.UpdateService(c.Request.Context(), svc)
		}
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(statusFor(param), toServiceJSON(svc))
}

func statusFor(param string) int {
	if param == "" {
		return http.StatusCreated
	}
	return http.StatusOK
}

func (s *Server) apiNetworkCreate(c *gin.Context) { s.apiSaveNetwork(c, "") }
func (s *Server) apiNetworkUpdate(c *gin.Context) { s.apiSaveNetwork(c, "nid") }

func (s *Server) apiSaveNetwork(c *gin.Context, param string) {
	vid, id, err := partIDs(c, param)
	var in networkInput
	if err == nil {
		err = s.bindJSON(c, &in)
	}
	var n *rw.Network
	if err == nil {
		n, err = in.domain()
	}
	if err == nil {
		n.VendorID, n.ID = vid, id
		if param == "" && !in.ConfirmSharedASNs && n.Validate() == nil {
			err = s.sharedASNConflict(c.Request.Context(), vid, []*rw.Network{n}, "asn")
		}
		switch {
		case err != nil: // the ASN belongs to another vendor and the request did not confirm it
		case param == "":
			err = s.deps.Vendors.CreateNetwork(c.Request.Context(), n)
		default:
			err = s.deps.Vendors.UpdateNetwork(c.Request.Context(), n)
		}
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(statusFor(param), toNetworkJSON(n))
}

func (s *Server) apiContactCreate(c *gin.Context) {
	vid, _, err := partIDs(c, "")
	var in contactInput
	if err == nil {
		err = s.bindJSON(c, &in)
	}
	var ct *rw.Contact
	if err == nil {
		ct = in.domain()
		ct.VendorID = vid
		err = s.deps.Vendors.CreateContact(c.Request.Context(), ct)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, contactJSON{ct.ID, ct.Name, ct.Email, ct.Phone, ct.Role})
}

func (s *Server) apiServiceDelete(c *gin.Context) {
	s.apiDeletePart(c, "sid", s.deps.Vendors.DeleteService)
}
func (s *Server) apiNetworkDelete(c *gin.Context) {
	s.apiDeletePart(c, "nid", s.deps.Vendors.DeleteNetwork)
}
func (s *Server) apiContactDelete(c *gin.Context) {
	s.apiDeletePart(c, "cid", s.deps.Vendors.DeleteContact)
}

func (s *Server) apiDeletePart(c *gin.Context, param string, del func(context.Context, int64, int64) error) {
	vid, id, err := partIDs(c, param)
	if err == nil {
		err = del(c.Request.Context(), vid, id)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
