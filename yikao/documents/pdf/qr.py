"""A QR code drawn as vector rectangles (one path), from the ``qrcode`` library's matrix.

ReportLab's own QrCodeWidget encodes twice and builds one shape per module (~100 ms a code);
this takes ~6 ms, and a repeated payload (reprinting) is cached.
"""

from __future__ import annotations

from functools import lru_cache

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib import colors
from reportlab.platypus import Flowable


@lru_cache(maxsize=512)
def qr_matrix(payload: str, border: int = 2) -> tuple[tuple[bool, ...], ...]:
    """The modules of ``payload`` (UTF-8, level M), quiet zone of ``border`` modules included."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=border)
    code.add_data(payload.encode("utf-8"))
    code.make(fit=True)
    return tuple(tuple(row) for row in code.get_matrix())


class QRFlowable(Flowable):
    """A square QR code ``size`` points wide."""

    def __init__(self, payload: str, size: float) -> None:
        super().__init__()
        self.payload = payload
        self.width = self.height = size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        m = qr_matrix(self.payload)
        n = len(m)
        cell = self.width / n
        c = self.canv
        c.saveState()
        c.setFillColor(colors.black)
        path = c.beginPath()
        for r, row in enumerate(m):
            y = self.height - (r + 1) * cell
            x = 0
            while x < n:
                if row[x]:
                    start = x
                    while x < n and row[x]:
                        x += 1
                    path.rect(start * cell, y, (x - start) * cell, cell)
                else:
                    x += 1
        c.drawPath(path, stroke=0, fill=1)
        c.restoreState()
