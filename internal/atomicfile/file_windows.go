package atomicfile

import (
	"context"
	"os"
)

// umask is 0 on Windows, which has none.
func umask() os.FileMode { return 0 }

// openForWrite opens a device for writing.
func openForWrite(ctx context.Context, path string) (*os.File, error) {
	return os.OpenFile(path, os.O_WRONLY, 0)
}
