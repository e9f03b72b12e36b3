//go:build !unix

package cues

import (
	"context"
	"fmt"
	"os"
)

// lockDir creates dir. Where there is no flock, two limbers voicing the
// same words at once both run the engine; the cache stays whole, since
// every entry is renamed into place complete.
func lockDir(ctx context.Context, dir string) (unlock func(), err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("voice cache: %w", err)
	}
	return func() {}, nil
}
