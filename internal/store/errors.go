package store

import (
	"errors"
	"fmt"

	"gorm.io/gorm"

	rw "routewarden/internal/routewarden"
)

// translate turns gorm and driver errors into domain errors. what names the entity ("vendor").
func translate(err error, what string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return rw.Errorf(rw.ENOTFOUND, "The %s does not exist.", what)
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return &rw.Error{Code: rw.ECONFLICT, Message: fmt.Sprintf("A %s with these details already exists.", what)}
	case errors.Is(err, gorm.ErrForeignKeyViolated):
		return rw.Errorf(rw.ECONFLICT, "The %s refers to something that does not exist or is still in use.", what)
	}
	var de *rw.Error
	if errors.As(err, &de) {
		return err
	}
	return fmt.Errorf("%s: %w", what, err)
}
