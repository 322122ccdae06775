"""The booking code as a QR image, inline (a data: URL; the CSP allows img-src data:)."""

import base64
import io

import qrcode
from qrcode.image.pil import PilImage


def qr_data_url(text: str) -> str:
    image = qrcode.make(
        text,
        image_factory=PilImage,
        box_size=8,
        border=2,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
    )
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
