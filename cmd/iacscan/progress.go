package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/term"

	"github.com/iacscan/iacscan/scan"
)

// Progress display timing: nothing is shown for a scan shorter than progressAfter (most
// runs), then the line is redrawn every progressEvery.
const (
	progressAfter = time.Second
	progressEvery = 100 * time.Millisecond
)

// progressDisplay shows a running scan's counts on one line of the terminal on stderr,
// redrawn in place, and erases it when stopped, so that what is printed next (the
// diagnostics, the report, the summary) starts on a clean line. stdout never sees it.
type progressDisplay struct {
	w      io.Writer
	counts *scan.Progress
	start  time.Time
	now    func() time.Time
	width  int // of the terminal in columns; 0 when unknown
	ticks  <-chan time.Time
	stopCh chan struct{}
	done   chan struct{}
	shown  bool // a line is on the screen; owned by the loop until done
}

// ticker returns the ticks that redraw a progress display and a function that ends them:
// none before progressAfter, then one every progressEvery.
func ticker() (<-chan time.Time, func()) {
	ticks, quit := make(chan time.Time), make(chan struct{})
	go func() {
		next := time.NewTimer(progressAfter)
		defer next.Stop()
		for {
			select {
			case <-quit:
				return
			case now := <-next.C:
				select {
				case ticks <- now:
				case <-quit:
					return
				}
				next.Reset(progressEvery)
			}
		}
	}()
	return ticks, func() { close(quit) }
}

// startProgress returns the counters a scan should update, and a function to call when
// the scan is over, which erases the display. When stderr is no terminal, a dumb one
// (which cannot clear a line) or quiet is set, there is no display and the scan counts
// nothing.
func (a *app) startProgress(quiet bool) (*scan.Progress, func()) {
	if quiet || !a.isTerminal(a.stderr) || a.getenv("TERM") == "dumb" {
		return nil, func() {}
	}
	counts := &scan.Progress{}
	tick := a.progressTicks
	if tick == nil {
		tick = ticker
	}
	ticks, endTicks := tick()
	d := &progressDisplay{w: a.stderr, counts: counts, start: time.Now(), now: time.Now, width: terminalWidth(a.stderr),
		ticks: ticks, stopCh: make(chan struct{}), done: make(chan struct{})}
	if a.now != nil {
		d.now, d.start = a.now, a.now()
	}
	go d.loop()
	return counts, func() {
		endTicks()
		d.stop()
	}
}

// loop redraws the line at each tick until stopped. A tick already due when the display
// is stopped is drawn first, so that what is shown does not depend on which of the two
// the scheduler picks.
func (d *progressDisplay) loop() {
	defer close(d.done)
	for {
		select {
		case <-d.stopCh:
			select {
			case <-d.ticks:
				d.draw()
			default:
			}
			d.erase()
			return
		case <-d.ticks:
			d.draw()
		}
	}
}

func (d *progressDisplay) stop() {
	close(d.stopCh)
	<-d.done
}

// draw writes the current line over the previous one: back to the line's start, the
// text, then clear what a longer previous line left.
func (d *progressDisplay) draw() {
	fmt.Fprintf(d.w, "\r%s\x1b[K", d.line())
	d.shown = true
}

// erase clears the line, if one was drawn, and leaves the cursor at its start.
func (d *progressDisplay) erase() {
	if d.shown {
		fmt.Fprint(d.w, "\r\x1b[K")
		d.shown = false
	}
}

// line is the display's text, cut to the terminal's width so that it never wraps (a
// wrapped line could not be redrawn in place).
func (d *progressDisplay) line() string {
	elapsed := d.now().Sub(d.start)
	text := fmt.Sprintf("iacscan: scanning… %s found, %d parsed, %s, %.1fs",
		pluralize(int(d.counts.Found.Load()), "file"), d.counts.Parsed.Load(),
		pluralize(int(d.counts.Resources.Load()), "resource"), elapsed.Seconds())
	if runes := []rune(text); d.width > 1 && len(runes) >= d.width {
		text = string(runes[:d.width-1])
	}
	return text
}

// terminalWidth returns the width of the terminal w is, or 0.
func terminalWidth(w io.Writer) int {
	f, ok := w.(*os.File)
	if !ok {
		return 0
	}
	width, _, err := term.GetSize(int(f.Fd()))
	if err != nil {
		return 0
	}
	return width
}
