package archtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "childsupportkiosk/"

// rooms says, for every package of the module, what it may import itself: packages of the
// module (by path within it) and outside modules (by path prefix); the standard library always.
// It is ARCHITECTURE.md's table of packages, "depends on", as a list; a new package is added
// here and there.
var rooms = map[string][]string{
	"app/domain":         {},
	"app/namefold":       {"golang.org/x/text"},
	"app/seal":           {"app/domain", "github.com/google/go-tpm", "golang.org/x/crypto"},
	"app/seal/swtpmtest": {},
	"app/cache": {"app/domain", "app/namefold", "app/seal", "sync/protocol", "sync/syncstate",
		"github.com/mattn/go-sqlite3"},
	"app/i18n":      {"app/domain", "translations"},
	"app/config":    {"app/domain", "github.com/pelletier/go-toml"},
	"app/session":   {"app/domain", "app/namefold"},
	"app/speech":    {},
	"app/printing":  {"app/domain"},
	"app/documents": {"app/domain", "app/i18n", "app/session"},
	"app/pdf": {"app/documents", "app/domain", "app/i18n", "app/session", "assets", "github.com/phpdave11/gofpdf", "github.com/skip2/go-qrcode",
		"golang.org/x/image"},
	"app/ui": {"app/documents", "app/domain", "app/i18n", "app/session", "app/speech", "assets", "sync/syncstate",
		"fyne.io/fyne/v2", "github.com/skip2/go-qrcode"},
	"app/ui/uiprint": {"app/documents", "app/domain", "app/pdf", "app/printing", "app/session", "app/ui"},
	"app/ui/demoenv": {"app/cache", "app/domain", "assets", "sync/client", "sync/demo", "sync/server", "sync/syncstate"},
	"assets":         {"app/domain"},
	"translations":   {},
	"sync":           {},
	"sync/protocol":  {"app/domain"},
	"sync/syncstate": {"sync/protocol"},
	"sync/client":    {"app/domain", "sync/protocol", "sync/syncstate", "github.com/klauspost/compress"},
	"sync/server": {"app/domain", "app/seal", "assets", "sync/protocol", "github.com/klauspost/compress",
		"github.com/mattn/go-sqlite3"},
	"sync/demo":         {"app/domain", "app/seal", "assets", "golang.org/x/crypto"},
	"internal/archtest": {},
	// cmd/ wires the rooms together.
	"cmd/caseserver": {"app/domain", "app/i18n", "app/seal", "assets", "sync/demo", "sync/server"},
	"cmd/kiosk": {"app/cache", "app/config", "app/domain", "app/i18n", "app/pdf", "app/printing", "app/seal",
		"app/session", "app/speech", "app/ui", "app/ui/uiprint", "assets", "cmd/kiosk/internal/posixlocale",
		"sync/client", "sync/syncstate", "fyne.io/fyne/v2"},
	"cmd/kiosk/internal/posixlocale": {},
	"cmd/kioskctl": {"app/cache", "app/documents", "app/domain", "app/i18n", "app/pdf", "app/printing", "app/seal", "assets",
		"sync/client", "sync/protocol", "sync/syncstate"},
}

// never is what must not be anywhere in a package's build graph, however it would come in.
var never = map[string][]string{
	// Fyne-free and crypto-free rooms stay so.
	"app/domain":  {"fyne.io", "github.com", "golang.org/x", module},
	"app/session": {"fyne.io", "golang.org/x/crypto", "github.com/mattn/go-sqlite3", module + "app/seal"},
	// The screens know no HTTP client, no database and no PDF maker of their own.
	"app/ui": {module + "sync/client", module + "sync/server", module + "app/cache", module + "app/pdf",
		module + "app/printing", "github.com/klauspost/compress", "github.com/mattn/go-sqlite3",
		"github.com/phpdave11/gofpdf"},
	// The list of printed kinds holds no PDF maker and no screen, so every side can use it.
	"app/documents": {"fyne.io", module + "app/pdf", "github.com/phpdave11/gofpdf", "github.com/mattn/go-sqlite3"},
	// The cache implements the sync's Store without the sync client.
	"app/cache": {module + "sync/client", "github.com/klauspost/compress", "fyne.io"},
	// Printing takes a job's paper and bytes, not the PDF maker's types.
	"app/printing": {module + "app/pdf", module + "app/i18n", "github.com/phpdave11/gofpdf"},
	// The lobby's binary holds no case server and no demo generator (they come with -tags demo).
	"cmd/kiosk": {module + "sync/server", module + "sync/demo", module + "app/ui/demoenv"},
	// The headless tools hold no UI.
	"cmd/kioskctl":   {"fyne.io", module + "app/ui"},
	"cmd/caseserver": {"fyne.io", module + "app/ui", module + "app/cache"},
}

type pkg struct{ imports, deps []string }

// graph is the module's build graph as go list sees it with no build tags.
func graph(t *testing.T) map[string]pkg {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Fatal("the go command is needed to read the build graph")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "list", "-f", "{{.ImportPath}}|{{join .Imports \",\"}}|{{join .Deps \",\"}}", "./...")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOFLAGS=") // the default build: no tags from the test run
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	g := map[string]pkg{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "|")
		if len(f) != 3 {
			t.Fatalf("go list: %q", line)
		}
		split := func(s string) []string {
			if s == "" {
				return nil
			}
			return strings.Split(s, ",")
		}
		g[strings.TrimPrefix(f[0], module)] = pkg{split(f[1]), split(f[2])}
	}
	return g
}

// standard says whether an import path is the standard library's: no dot in its first element.
func standard(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".") && !strings.HasPrefix(path, module)
}

// allowed says whether path is one of the room's entries: a package of the module, or an
// outside module's path or a package under it.
func allowed(path string, room []string) bool {
	if rel, ok := strings.CutPrefix(path, module); ok {
		return slices.Contains(room, rel)
	}
	return slices.ContainsFunc(room, func(p string) bool { return path == p || strings.HasPrefix(path, p+"/") })
}

func TestArchitecture(t *testing.T) {
	g := graph(t)
	for name, p := range g {
		room, ok := rooms[name]
		if !ok {
			t.Errorf("%s is not in the rooms of ARCHITECTURE.md (add it there and here)", name)
			continue
		}
		for _, imp := range p.imports {
			if !standard(imp) && !allowed(imp, room) {
				t.Errorf("%s imports %s, which its room does not allow", name, imp)
			}
		}
	}
	for name := range rooms {
		if _, ok := g[name]; !ok {
			t.Errorf("the room %s has no package any more", name)
		}
	}
	for name, banned := range never {
		p, ok := g[name]
		if !ok {
			t.Errorf("never: no package %s", name)
			continue
		}
		for _, dep := range p.deps {
			for _, b := range banned {
				if dep == b || strings.HasPrefix(dep, strings.TrimSuffix(b, "/")+"/") {
					t.Errorf("%s has %s in its build graph", name, dep)
				}
			}
		}
	}
}

// The rules can fail: a room that imports what it must not is found.
func TestArchitectureFindsAForbiddenImport(t *testing.T) {
	if allowed(module+"sync/client", rooms["app/ui"]) {
		t.Fatal("the screens' room allows the sync client")
	}
	if !allowed("fyne.io/fyne/v2/widget", rooms["app/ui"]) || allowed("fyne.io/fyne/v2/widget", rooms["app/cache"]) {
		t.Fatal("module prefixes are not told apart")
	}
	if standard("github.com/mattn/go-sqlite3") || !standard("net/http") || standard(module+"app/ui") {
		t.Fatal("the standard library is not told apart")
	}
}
