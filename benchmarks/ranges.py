"""A stdlib static file handler that answers Range requests, as nginx and GitHub Pages do.

The browser index reads parts of its files with ``Range: bytes=a-b`` (``search.js``
``fetchRange``); Python's ``SimpleHTTPRequestHandler`` ignores the header and sends the whole
file (which the page copes with, at the cost of the whole file). The benchmarks and the browser
tests serve the site with this handler, so what they measure is what a real host sends.
"""

from __future__ import annotations

import http.server
import os
import re

_RANGE = re.compile(r"bytes=(\d*)-(\d*)$")


class RangeHandler(http.server.SimpleHTTPRequestHandler):
    """``SimpleHTTPRequestHandler`` plus single byte ranges (``206 Partial Content``)."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        self._range: tuple[int, int] | None = None
        match = _RANGE.match(self.headers.get("Range", "").strip())
        path = self.translate_path(self.path)
        if match is None or not os.path.isfile(path):
            return super().send_head()
        size = os.path.getsize(path)
        first, last = match.groups()
        if first:
            start, end = int(first), min(int(last), size - 1) if last else size - 1
        elif last:
            start, end = max(0, size - int(last)), size - 1
        else:
            return super().send_head()
        if start >= size or end < start:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        handle = open(path, "rb")  # noqa: SIM115 (closed by the caller, as SimpleHTTPRequestHandler's is)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        handle.seek(start)
        self._range = (start, end)
        return handle

    def copyfile(self, source, outputfile) -> None:  # type: ignore[no-untyped-def]
        if getattr(self, "_range", None) is None:
            super().copyfile(source, outputfile)
            return
        start, end = self._range  # type: ignore[misc]
        remaining = end - start + 1
        while remaining > 0:
            chunk = source.read(min(65536, remaining))
            if not chunk:
                break
            outputfile.write(chunk)
            remaining -= len(chunk)
