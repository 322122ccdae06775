"""CJK fonts for the forms: found on known Debian paths, embedded as subsets.

The main face is AR PL UMing CN (``fonts-arphic-uming``). It covers GB 2312, most of
GB 18030's BMP part and CJK Extension A (䶮), but not Extension B (𠮷). Characters it lacks
are wrapped in ``<font name="…">`` runs of a fallback face (HanaMinB, then HanaMinA, from
``fonts-hanazono``), chosen by looking the code point up in each font's cmap. Fallback fonts
are loaded only when a text needs them: they are large (20–30 MB) and most names never do.
"""

from __future__ import annotations

import mmap
import os
import threading
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import SUBSETN, TTFont

MAIN = "YikaoUMing"
FALLBACK_B = "HanaMinB"
FALLBACK_A = "HanaMinA"


class FontNotFoundError(RuntimeError):
    """A font file the forms need is not installed."""


@dataclass(frozen=True)
class FontSpec:
    name: str
    paths: tuple[str, ...]
    subfont_index: int
    apt_package: str
    env_var: str


# AR PL UMing CN is index 0 of uming.ttc (CN, HK, TW, TW MBE).
SPECS: dict[str, FontSpec] = {
    MAIN: FontSpec(
        MAIN,
        (
            "/usr/share/fonts/truetype/arphic/uming.ttc",
            "/usr/share/fonts/truetype/arphic-uming/uming.ttc",
            "/usr/share/fonts/arphic/uming.ttc",
        ),
        0,
        "fonts-arphic-uming",
        "YIKAO_PDF_FONT_MAIN",
    ),
    FALLBACK_B: FontSpec(
        FALLBACK_B,
        (
            "/usr/share/fonts/truetype/hanazono/HanaMinB.ttf",
            "/usr/share/fonts/truetype/fonts-hanazono/HanaMinB.ttf",
        ),
        0,
        "fonts-hanazono",
        "YIKAO_PDF_FONT_EXTB",
    ),
    FALLBACK_A: FontSpec(
        FALLBACK_A,
        (
            "/usr/share/fonts/truetype/hanazono/HanaMinA.ttf",
            "/usr/share/fonts/truetype/fonts-hanazono/HanaMinA.ttf",
        ),
        0,
        "fonts-hanazono",
        "YIKAO_PDF_FONT_EXTA",
    ),
}
FALLBACK_ORDER = (FALLBACK_B, FALLBACK_A)

_lock = threading.Lock()
_coverage: dict[str, frozenset[int] | set[int]] = {}


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's own ToUnicode CMap writes code points above U+FFFF as 5 hex digits,
    which is invalid (text extraction of 𠮷 breaks). Write UTF-16BE, with surrogate pairs."""

    def utf16(cp: int) -> str:
        return chr(cp).encode("utf-16-be", "surrogatepass").hex().upper()

    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{i:02X}> <{utf16(cp)}>" for i, cp in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(lines)


class _Window:
    """A read-only window on the font file's bytes: ``window[a:b]`` copies only ``b - a``."""

    __slots__ = ("data", "length", "pos")

    def __init__(self, data: bytes, pos: int, length: int) -> None:
        self.data, self.pos, self.length = data, pos, length

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, s: slice) -> bytes:
        start, stop, _ = s.indices(self.length)
        return self.data[self.pos + start : self.pos + stop]


class EmbeddedTTFont(TTFont):
    """A TrueType font embedded as subsets, with a correct ToUnicode map beyond the BMP.

    ReportLab's subsetter copies the whole ``glyf`` table (15–30 MB for these fonts) for
    every subset it writes (a few ms each); here it gets a window on the file instead.
    Only ``glyf`` is windowed: ReportLab just slices it (checked against ReportLab 5.1).

    The font file stays mapped instead of read: ReportLab keeps its whole bytes (21 MB for
    UMing, 53 MB for both HanaMin faces) in every server process, while a read-only map
    holds only the pages a subset touches, shared between the processes and clean (the
    kernel can drop them).
    """

    def __init__(self, name: str, filename: str, subfontIndex: int = 0) -> None:
        super().__init__(name, filename, subfontIndex=subfontIndex)
        face = self.face
        with open(filename, "rb") as handle:  # the map outlives the file object
            face._ttf_data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        # ReportLab's subsetter walks the font with a cursor kept on the shared face
        # (seek/read): two threads writing subsets at once mix their cursors (seen in the
        # rush bench: KeyError in makeSubset, 1 PDF in ~340). One PDF's subsets at a time.
        self._subsetting = threading.Lock()
        whole_table = face.get_table

        def get_table(tag: str):
            if tag == "glyf":
                pos, length = face.get_table_pos(tag)
                return _Window(face._ttf_data, pos, length)
            return whole_table(tag)

        face.get_table = get_table

    def addObjects(self, doc):
        state = self.state.get(doc)
        subsets = [list(s) for s in state.subsets] if state is not None else []
        with self._subsetting:
            super().addObjects(doc)
        for n, subset in enumerate(subsets):
            if not any(cp > 0xFFFF for cp in subset):
                continue
            base = self._subset_base_name(n)
            stream = doc.idToObject.get("toUnicodeCMap:" + base)
            if isinstance(stream, pdfdoc.PDFStream):
                stream.content = _to_unicode_cmap(base, subset)

    def _subset_base_name(self, n: int) -> str:
        raw = b"".join((SUBSETN(n), b"+", self.face.name, self.face.subfontNameX))
        return raw.decode("pdfdoc")


def font_path(name: str) -> str:
    """The file of a known font, or FontNotFoundError naming the Debian package."""
    spec = SPECS[name]
    override = os.environ.get(spec.env_var)
    candidates = (override, *spec.paths) if override else spec.paths
    for path in candidates:
        if path and os.path.isfile(path):
            return path
    raise FontNotFoundError(
        f"找不到字体 {name}：请安装 Debian 软件包 {spec.apt_package}"
        f"（apt-get install {spec.apt_package}），或用环境变量 {spec.env_var} 指定字体文件。"
        f" Font {name} not found in {', '.join(spec.paths)}: install {spec.apt_package}."
    )


def ensure_font(name: str) -> None:
    """Register a font with ReportLab once per process (thread-safe)."""
    if name in _coverage:
        return
    with _lock:
        if name in _coverage:
            return
        spec = SPECS[name]
        font = EmbeddedTTFont(name, font_path(name), subfontIndex=spec.subfont_index)
        pdfmetrics.registerFont(font)
        _coverage[name] = frozenset(font.face.charToGlyph)


def covers(name: str, cp: int) -> bool:
    ensure_font(name)
    return cp in _coverage[name]


def _font_for(cp: int) -> str:
    if cp < 0x80 or covers(MAIN, cp):
        return MAIN
    for name in FALLBACK_ORDER:
        if covers(name, cp):
            return name
    return MAIN  # nobody has it: let the main font draw its .notdef box


def markup(text: object) -> str:
    """Escape ``text`` for a Paragraph and wrap runs the main font lacks in a fallback font.
    A newline becomes a line break."""
    s = "" if text is None else str(text)
    ensure_font(MAIN)
    main = _coverage[MAIN]
    if all(ord(c) < 0x80 or ord(c) in main for c in s):
        return escape(s).replace("\n", "<br/>")
    out: list[str] = []
    run: list[str] = []
    run_font = MAIN

    def flush() -> None:
        if not run:
            return
        chunk = escape("".join(run))
        out.append(chunk if run_font == MAIN else f'<font name="{run_font}">{chunk}</font>')
        run.clear()

    for c in s:
        f = MAIN if c.isspace() else _font_for(ord(c))
        if f != run_font:
            flush()
            run_font = f
        run.append(c)
    flush()
    return "".join(out).replace("\n", "<br/>")


def fonts_used(text: str) -> set[str]:
    """The fonts ``markup`` would draw ``text`` with (for tests and diagnostics)."""
    return {MAIN if c.isspace() else _font_for(ord(c)) for c in text}
