"""What Terminal-Bench's tmux pane shows after a byte stream: the text its parser reads.

`tb run` never parses a program's output: it types the command into a tmux pane (160 columns,
40 rows) and parses `tmux capture-pane -p -S -`, the pane's history and its visible rows. So
colour codes are rendered away, a `\\r` lets later text overwrite a line, a line longer than 160
columns wraps onto the next row (capture-pane without `-J` prints each row on its own line),
and only tmux's default history of 2,000 lines is kept (Terminal-Bench sets `history-limit
50000` after its session is made, which leaves the pane it already has at the default).

`render_pane` replays the bytes a pseudo-terminal gave (after the kernel's `\\n` -> `\\r\\n`)
through pyte, a VT100/xterm emulator, with tmux's geometry and tmux's way of keeping history:
when the history is full, tmux drops its oldest tenth in one go (`grid_collect_history`), so it
holds between 1,801 and 2,000 lines, not a sliding 2,000. tests/unit/test_tb_pane.py renders
the same streams through the real tmux and this, and compares them.
"""

from __future__ import annotations

import codecs
from typing import Any

import pyte
from pyte import modes
from wcwidth import wcwidth

#: Terminal-Bench's pane (terminal/tmux_session.py: `new-session -x 160 -y 40`).
PANE_COLUMNS = 160
PANE_ROWS = 40
#: tmux's default `history-limit`; the pane Terminal-Bench parses keeps this many lines.
HISTORY_LIMIT = 2000
#: Bytes rendered at most; the head of a longer stream is dropped (it would scroll out anyway,
#: unless 2,040 lines fit in it, which at 160 columns they do not).
RENDER_LIMIT = 16 * 1024 * 1024


_ASCII_CELLS = {chr(c): pyte.screens.Char(chr(c)) for c in range(128)}
#: xterm's alternate-screen modes (private: `CSI ? 1049 h`).
_ALTERNATE_MODES = {47, 1047, 1049}


class _PaneScreen(pyte.Screen):  # type: ignore[misc]
    """pyte's screen with tmux's history and tmux's wrap of a wide character."""

    def __init__(self, columns: int, lines: int, history_limit: int) -> None:
        #: Rows scrolled off the top, oldest first: pyte's row objects, never written again
        #: once they left the screen (text is made only for those kept, at the end).
        self.history: list[Any] = []
        self.history_limit = history_limit
        self._saved: tuple[dict[int, Any], Any] | None = None
        super().__init__(columns, lines)

    def index(self) -> None:
        top, bottom = self.margins or pyte.screens.Margins(0, self.lines - 1)
        if self.cursor.y == bottom and top == 0 and bottom == self.lines - 1:
            self._push_history(self.buffer[0])
        super().index()

    def _push_history(self, row: Any) -> None:
        """tmux collects first (drops a tenth when full), then scrolls the row in."""
        if not self.history_limit or self._saved is not None:
            return
        if len(self.history) >= self.history_limit:
            del self.history[:max(self.history_limit // 10, 1)]
        self.history.append(row)

    def erase_in_display(self, how: int = 0, *args: Any, **kwargs: Any) -> None:
        if how == 3:  # ED 3 clears tmux's history, not the screen
            self.history.clear()
            return
        whole = how == 2 or (how == 0 and self.cursor.x == 0 and self.cursor.y == 0)
        if whole and self.history_limit:
            # tmux's `scroll-on-clear`: the rows down to the last one used go to the history.
            used = [y for y in range(self.lines) if self._row_text(y)]
            for y in range(used[-1] + 1 if used else 0):
                self._push_history(dict(self.buffer[y]))  # a copy: the erase rewrites rows
        super().erase_in_display(how, *args, **kwargs)

    def set_mode(self, *modes_: int, **kwargs: Any) -> None:
        if kwargs.get("private") and set(modes_) & _ALTERNATE_MODES and self._saved is None:
            # The alternate screen: what is drawn there never reaches the history.
            self._saved = (dict(self.buffer), self.cursor)
            self.buffer.clear()
            self.cursor = pyte.screens.Cursor(0, 0)
        super().set_mode(*modes_, **kwargs)

    def reset_mode(self, *modes_: int, **kwargs: Any) -> None:
        if kwargs.get("private") and set(modes_) & _ALTERNATE_MODES and self._saved is not None:
            buffer, self.cursor = self._saved
            self._saved = None
            self.buffer.clear()
            self.buffer.update(buffer)
        super().reset_mode(*modes_, **kwargs)

    def draw(self, data: str) -> None:
        if data.isascii() and not self.charset and modes.IRM not in self.mode:
            self._draw_ascii(data)
            return
        # tmux moves a two-column character that does not fit on the row to the next one.
        for char in data:
            if (self.cursor.x == self.columns - 1 and wcwidth(char) == 2
                    and modes.DECAWM in self.mode):
                self.carriage_return()
                self.linefeed()
            super().draw(char)

    def _draw_ascii(self, data: str) -> None:
        """pyte's `draw` for one-column text, a row at a time: only the text is read back,
        so every cell gets the default attributes (pyte's own draw is the slow part)."""
        cells, pos, cursor = _ASCII_CELLS, 0, self.cursor
        while pos < len(data):
            if cursor.x >= self.columns:
                if modes.DECAWM not in self.mode:
                    super().draw(data[pos:])
                    return
                self.carriage_return()
                self.linefeed()
            row = self.buffer[cursor.y]
            take = min(len(data) - pos, self.columns - cursor.x)
            for i, char in enumerate(data[pos:pos + take], cursor.x):
                row[i] = cells[char]
            cursor.x += take
            pos += take

    def _row_text(self, y: int) -> str:
        return self._text(self.buffer[y])

    def _text(self, row: Any) -> str:
        blank = " "
        return "".join(row[x].data if x in row else blank
                       for x in range(self.columns)).rstrip(" ")

    def pane_text(self) -> str:
        rows = [*map(self._text, self.history), *map(self._row_text, range(self.lines))]
        return "".join(f"{row}\n" for row in rows)


def render_pane(data: bytes, columns: int = PANE_COLUMNS, rows: int = PANE_ROWS,
                history_limit: int = HISTORY_LIMIT) -> str:
    """`tmux capture-pane -p -S -` of a fresh pane after `data`: its history and every visible
    row, trailing spaces dropped, one line each (wrapped rows stay separate lines)."""
    screen = _PaneScreen(columns, rows, history_limit)
    stream = pyte.ByteStream(screen)
    # tmux drops bytes that are not UTF-8; pyte would show U+FFFD for them.
    stream.utf8_decoder = codecs.getincrementaldecoder("utf-8")("ignore")
    stream.feed(data[-RENDER_LIMIT:])
    return screen.pane_text()
