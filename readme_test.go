package ginclerk_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestREADMECompiles builds every Go block of README.md against this
// checkout, so that a snippet cannot rot. The convention, for whoever edits
// the README:
//
//   - A block whose code starts with "package" is a complete file. An
//     optional first line "// dir/name.go" says where it goes; blocks naming
//     the same directory form one package (an app and its _test.go files),
//     and a block without one gets a directory of its own. These packages are
//     vetted and their tests run: the README's recipes must pass.
//   - Any other block is a fragment: the body of a function whose parameters
//     are c *gin.Context, r *gin.Engine, ck *ginclerk.Clerk and
//     handler gin.HandlerFunc. It must be valid statements (a variable it
//     declares must be used), and may use ginclerk, ginclerktest, gin and
//     the standard packages listed in fragmentImports.
//
// It runs offline: the temporary module requires what go.mod requires,
// copies go.sum, replaces ginclerk with this directory and builds from the
// module cache. Errors point at README.md lines.
func TestREADMECompiles(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module: not in -short")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	blocks := goBlocks(string(readme))
	require.NotEmpty(t, blocks)

	repo, err := filepath.Abs(".")
	require.NoError(t, err)
	readmePath := filepath.Join(repo, "README.md")
	dir := t.TempDir()
	writeModule(t, dir, repo)
	var fragments strings.Builder
	tested := map[string]bool{} // directories whose tests must pass
	for _, b := range blocks {
		if !strings.HasPrefix(b.code, "package ") && !filePath.MatchString(b.code) {
			fmt.Fprintf(&fragments, "func _(c *gin.Context, r *gin.Engine, ck *ginclerk.Clerk, handler gin.HandlerFunc) {\n//line %s:%d\n%s}\n\n", readmePath, b.line, b.code)
			continue
		}
		name := fmt.Sprintf("block%d/main.go", b.line)
		code, line := b.code, b.line
		if m := filePath.FindStringSubmatch(code); m != nil {
			name, code, line = m[1], code[strings.Index(code, "\n")+1:], line+1
		}
		if strings.HasSuffix(name, "_test.go") {
			tested[filepath.Dir(name)] = true
		}
		writeFile(t, filepath.Join(dir, name), fmt.Sprintf("//line %s:%d\n%s", readmePath, line, code))
	}
	if fragments.Len() > 0 {
		writeFile(t, filepath.Join(dir, "fragments", "fragments.go"), fragmentFile(fragments.String()))
	}

	for _, args := range [][]string{{"vet", "./..."}, {"test", "-count=1", "./..."}} {
		cmd := exec.Command(goTool, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOSUMDB=off", "GOWORK=off", "GOTOOLCHAIN=local")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "go %s in the README module:\n%s", strings.Join(args, " "), out)
		if args[0] == "test" {
			for pkg := range tested {
				require.Regexp(t, `(?m)^ok\s+readme.example/`+regexp.QuoteMeta(pkg)+`\s`, string(out), "the README's tests ran")
			}
		}
	}
}

// filePath matches a complete block's optional first line naming its file.
var filePath = regexp.MustCompile(`^// ([\w.-]+(?:/[\w.-]+)*\.go)\npackage `)

type goBlock struct {
	line int // README line of the block's first code line
	code string
}

// goBlocks returns the ```go blocks of a Markdown document.
func goBlocks(md string) []goBlock {
	var blocks []goBlock
	var cur *goBlock
	for i, l := range strings.Split(md, "\n") {
		switch {
		case cur == nil && strings.TrimSpace(l) == "```go":
			cur = &goBlock{line: i + 2}
		case cur != nil && strings.TrimSpace(l) == "```":
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			cur.code += l + "\n"
		}
	}
	return blocks
}

// writeModule writes the temporary module's go.mod and go.sum.
func writeModule(t *testing.T, dir, repo string) {
	gomod, err := os.ReadFile(filepath.Join(repo, "go.mod"))
	require.NoError(t, err)
	lines := strings.Split(string(gomod), "\n")
	i := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "go ") })
	require.GreaterOrEqual(t, i, 0, "go.mod has a go line")
	mod := "module readme.example\n\n" + strings.Join(lines[i:], "\n") +
		"\nrequire github.com/ginclerk/ginclerk v0.0.0\n\nreplace github.com/ginclerk/ginclerk => " + repo + "\n"
	writeFile(t, filepath.Join(dir, "go.mod"), mod)
	sum, err := os.ReadFile(filepath.Join(repo, "go.sum"))
	require.NoError(t, err)
	writeFile(t, filepath.Join(dir, "go.sum"), string(sum))
}

// fragmentImports are the packages a fragment may use, by name.
var fragmentImports = map[string]string{
	"ginclerk":     "github.com/ginclerk/ginclerk",
	"ginclerktest": "github.com/ginclerk/ginclerk/ginclerktest",
	"gin":          "github.com/gin-gonic/gin",
	"context":      "context",
	"errors":       "errors",
	"fmt":          "fmt",
	"http":         "net/http",
	"httptest":     "net/http/httptest",
	"json":         "encoding/json",
	"log":          "log",
	"os":           "os",
	"slog":         "log/slog",
	"time":         "time",
}

// fragmentFile is the fragments' package, importing the packages they use
// (gin and ginclerk always: the function parameters use them).
func fragmentFile(funcs string) string {
	var b strings.Builder
	b.WriteString("package fragments\n\nimport (\n")
	for name, path := range fragmentImports {
		if name == "gin" || name == "ginclerk" || regexp.MustCompile(`\b`+name+`\.`).MatchString(funcs) {
			fmt.Fprintf(&b, "\t%q\n", path)
		}
	}
	b.WriteString(")\n\n" + funcs)
	return b.String()
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(name), 0o755))
	require.NoError(t, os.WriteFile(name, []byte(content), 0o644))
}
