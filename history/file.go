package history

import (
	"bufio"
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"time"

	"github.com/limber-audio/limber/internal/input"
)

// FileName is the log's name in limber's state folder.
const FileName = "history.jsonl"

// lockWait bounds how long Append waits for another limber's append.
const lockWait = 10 * time.Second

// Append adds e to the log at path as one line, creating the file and
// its folder if need be. The line is written whole, in one write, under
// an exclusive lock on the file, so appends from many processes at once
// never mix. If the file does not end with a newline (a line cut short
// by a full disk), the new line starts on a line of its own. The file is
// never rewritten. Append is safe for concurrent use.
func Append(path string, e Entry) error {
	line, err := MarshalLine(e)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("history: %w", err)
	}
	// Not blocking: a named pipe in the log's place is refused below, not
	// waited on.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE|syscall.O_NONBLOCK, 0o600)
	if err != nil {
		return fmt.Errorf("history: %w", err)
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil {
		return fmt.Errorf("history: %w", err)
	} else if !st.Mode().IsRegular() {
		return fmt.Errorf("history: %s: %w", path, input.ErrNotRegular)
	}
	unlock, err := lock(f, lockWait)
	if err != nil {
		return fmt.Errorf("history: lock %s: %w", path, err)
	}
	defer unlock()
	if st, err := f.Stat(); err == nil && st.Size() > 0 {
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, st.Size()-1); err == nil && last[0] != '\n' {
			line = append([]byte{'\n'}, line...)
		}
	}
	if _, err := f.Write(line); err != nil {
		return fmt.Errorf("history: append to %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("history: append to %s: %w", path, err)
	}
	return nil
}

// Damaged counts the lines Read skipped.
type Damaged struct {
	Lines int // how many
	First int // the first one's number, from 1
}

// Read calls fn with every entry of the log at path, in the order they
// were written, and returns what it skipped: empty lines are ignored,
// damaged ones (not JSON, not an entry, longer than MaxLine) are
// counted. A log that does not exist yet holds no entries. An error
// from fn stops the reading and is returned.
func Read(path string, fn func(Entry) error) (Damaged, error) {
	f, err := input.Open(path) // a named pipe there is refused, not waited on
	if errors.Is(err, input.ErrNotRegular) {
		return Damaged{}, fmt.Errorf("history: %s: %w", path, err)
	}
	if errors.Is(err, fs.ErrNotExist) {
		return Damaged{}, nil
	}
	if err != nil {
		return Damaged{}, fmt.Errorf("history: %w", err)
	}
	defer f.Close()
	d, err := Scan(f, fn)
	if err != nil {
		return d, fmt.Errorf("history: read %s: %w", path, err)
	}
	return d, nil
}

// Scan is Read for any reader.
func Scan(r io.Reader, fn func(Entry) error) (Damaged, error) {
	var d Damaged
	br := bufio.NewReaderSize(r, 64<<10)
	for n := 1; ; n++ {
		line, tooLong, err := readLine(br)
		if err != nil && !errors.Is(err, io.EOF) {
			return d, err
		}
		if trimmed := bytes.TrimSpace(line); len(trimmed) > 0 || tooLong {
			e, perr := ParseLine(trimmed)
			if tooLong || perr != nil {
				if d.Lines == 0 {
					d.First = n
				}
				d.Lines++
			} else if ferr := fn(e); ferr != nil {
				return d, ferr
			}
		}
		if err != nil { // io.EOF
			return d, nil
		}
	}
}

// readLine returns the next line without its newline, or, for a line
// longer than MaxLine, nothing and tooLong (the line is read past).
func readLine(br *bufio.Reader) (line []byte, tooLong bool, err error) {
	var long []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			if !tooLong {
				if len(long)+len(chunk) > MaxLine {
					tooLong, long = true, nil
				} else {
					long = append(long, chunk...)
				}
			}
			continue
		}
		if tooLong {
			return nil, true, err
		}
		chunk = bytes.TrimSuffix(chunk, []byte{'\n'})
		if long != nil {
			long = append(long, chunk...)
			if len(long) > MaxLine {
				return nil, true, err
			}
			return long, false, err
		}
		return chunk, false, err
	}
}

// DoneSince returns the ids of the stretches done in the sessions of the
// log at path that started at or after since, each once, the one done
// last first. Damaged lines are skipped; a log that does not exist yet
// gives none.
func DoneSince(path string, since time.Time) ([]string, error) {
	last := map[string]time.Time{}
	_, err := Read(path, func(e Entry) error {
		if e.Start.Before(since) {
			return nil
		}
		for _, id := range e.Done() {
			if t, ok := last[id]; !ok || e.Start.After(t) {
				last[id] = e.Start
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(last))
	for id := range last {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int {
		if c := last[b].Compare(last[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	return ids, nil
}
