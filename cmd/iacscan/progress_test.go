package main

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/iacscan/iacscan/rules/builtin"
	"github.com/iacscan/iacscan/scan"
)

// TestProgressLine draws the display with known counts and clock, as a terminal would
// receive it: each frame back at the line's start and clearing the rest, the erase at
// the end, and a line cut to the terminal's width.
func TestProgressLine(t *testing.T) {
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	clock := start.Add(2345 * time.Millisecond)
	tests := []struct {
		name  string
		width int
		want  string
	}{
		{"wide terminal", 0, "\riacscan: scanning… 1 file found, 0 parsed, 0 resources, 2.3s\x1b[K" +
			"\riacscan: scanning… 1200 files found, 1100 parsed, 5432 resources, 2.3s\x1b[K\r\x1b[K"},
		{"narrow terminal", 30, "\riacscan: scanning… 1 file fou\x1b[K" +
			"\riacscan: scanning… 1200 files\x1b[K\r\x1b[K"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			counts := &scan.Progress{}
			d := &progressDisplay{w: &out, counts: counts, start: start, now: func() time.Time { return clock }, width: tc.width}
			counts.Found.Add(1)
			d.draw()
			counts.Found.Add(1199)
			counts.Parsed.Add(1100)
			counts.Resources.Add(5432)
			d.draw()
			d.erase()
			d.erase() // once erased, nothing more
			if got := out.String(); got != tc.want {
				t.Errorf("terminal got %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestProgressNeverDrawnIsNeverErased checks that a scan shorter than the delay leaves
// stderr untouched: no frame, no erase sequence.
func TestProgressNeverDrawnIsNeverErased(t *testing.T) {
	var out bytes.Buffer
	d := &progressDisplay{w: &out, counts: &scan.Progress{}, now: time.Now, ticks: make(chan time.Time),
		stopCh: make(chan struct{}), done: make(chan struct{})}
	go d.loop()
	d.stop()
	if out.Len() != 0 {
		t.Errorf("stderr got %q", out.String())
	}
}

// TestProgressOnTerminal runs a scan in-process with stderr taken for a terminal and a
// tick already due: the one frame drawn is erased before anything else reaches stderr,
// and stdout carries the report alone. With -q, when stderr is no terminal or a dumb one,
// stderr gets no frame.
func TestProgressOnTerminal(t *testing.T) {
	frame := regexp.MustCompile(`^\riacscan: scanning… \d+ files? found, \d+ parsed, \d+ resources?, 0\.0s\x1b\[K\r\x1b\[K`)
	tests := []struct {
		name      string
		args      []string
		stderrTTY bool
		term      string
		wantFrame bool
	}{
		{"terminal", nil, true, "xterm", true},
		{"quiet", []string{"-q"}, true, "xterm", false},
		{"no terminal", nil, false, "xterm", false},
		{"dumb terminal", nil, true, "dumb", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			clock := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
			a := &app{
				stdin: strings.NewReader(""), stdout: &out, stderr: &errOut,
				getenv:     func(k string) string { return map[string]string{"TERM": tc.term}[k] },
				isTerminal: func(w io.Writer) bool { return w == &errOut && tc.stderrTTY },
				catalog:    builtin.All(),
				now:        func() time.Time { return clock },
				progressTicks: func() (<-chan time.Time, func()) {
					due := make(chan time.Time, 1)
					due <- clock
					return due, func() {}
				},
			}
			args := append([]string{"-f", "json", "--allow-parse-errors"}, tc.args...)
			code := a.run(context.Background(), append(args, "testdata/broken"))
			if code != 2 { // the one input does not parse
				t.Fatalf("exit code %d; stderr:\n%q", code, errOut.String())
			}
			stderr := errOut.String()
			loc := frame.FindStringIndex(stderr)
			if (loc != nil) != tc.wantFrame {
				t.Fatalf("progress frame on stderr = %v, want %v:\n%q", loc != nil, tc.wantFrame, stderr)
			}
			rest := stderr
			if loc != nil {
				rest = stderr[loc[1]:]
			}
			if strings.ContainsAny(rest, "\r\x1b") || !strings.Contains(rest, "error: ") {
				t.Errorf("after the progress display, stderr holds escape sequences or lacks the diagnostics:\n%q", rest)
			}
			if strings.ContainsAny(out.String(), "\r\x1b") {
				t.Errorf("stdout holds terminal control characters:\n%q", out.String())
			}
		})
	}
}
