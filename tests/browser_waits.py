"""Waits for what a browser shows after the text around it: images decode late."""

from playwright.sync_api import TimeoutError as PlaywrightTimeout

_DECODED = (
    "([s, minWidth]) => { const img = document.querySelector(s);"
    " return !!img && img.complete && img.naturalWidth > minWidth; }"
)


def image_loaded(page, selector: str, *, min_width: int = 0, timeout_ms: int = 10_000) -> bool:
    """True once the image under ``selector`` has decoded, False if it never does."""
    try:
        page.wait_for_function(_DECODED, arg=[selector, min_width], timeout=timeout_ms)
    except PlaywrightTimeout:
        return False
    return True
