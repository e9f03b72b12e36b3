package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// version is stamped in by make dist (-ldflags "-X main.version=...");
// otherwise it comes from the build's own information.
var version = ""

// versionString says which limber this is: the stamped version, the
// module's version (go install ...@v1.2.3), or the commit it was built
// from; then the Go release and the platform.
func versionString() string {
	v := version
	if info, ok := debug.ReadBuildInfo(); ok && v == "" {
		v = info.Main.Version
		if v == "" || v == "(devel)" {
			v = "devel"
			var rev, dirty string
			for _, s := range info.Settings {
				switch s.Key {
				case "vcs.revision":
					rev = s.Value
				case "vcs.modified":
					if s.Value == "true" {
						dirty = "+dirty"
					}
				}
			}
			if len(rev) > 12 {
				rev = rev[:12]
			}
			if rev != "" {
				v += " " + rev + dirty
			}
		}
	}
	if v == "" {
		v = "devel"
	}
	return fmt.Sprintf("limber %s (%s %s/%s)", v, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
