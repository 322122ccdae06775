"""Hostile photos on the public 照片检测: a 100 KB file of 49 megapixels once took a worker to
~1 GB. Refused by pixel count from the header (nothing decoded), large images decoded reduced,
one check per process at a time, and the page rate-limited per client address."""

import functools
import io
import struct
import threading
import time
import zlib

import numpy as np
import pytest
from django.urls import reverse
from photo_factory import KEY, jpeg
from photo_web import raw, text, upload
from PIL import Image, ImageFile

from yikao.photos import DEFAULT_PROFILE, check_photo, services
from yikao.photos.decode import FULL_DECODE_MAX_PIXELS, PIXEL_GUARD, decode

CHECK = reverse("photos:check")
UPLOAD_CHECK = reverse("photos:upload_check")


def _png_header_only(w: int, h: int) -> bytes:
    """A valid PNG header claiming w×h pixels, with almost no pixel data (a few hundred bytes)."""

    def chunk(t, body):
        return struct.pack(">I", len(body)) + t + body + struct.pack(">I", zlib.crc32(t + body))

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64))


@functools.cache
def _big_webp() -> bytes:
    """A real 4000×4000 (16 MP) lossless WebP of a few hundred bytes."""
    buf = io.BytesIO()
    Image.new("RGB", (4000, 4000), (255, 255, 255)).save(buf, "WEBP", lossless=True, method=0)
    return buf.getvalue()


def _progressive_jpeg_header(w: int, h: int) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(np.full((16, 16, 3), 200, np.uint8)).save(buf, "JPEG", progressive=True)
    data = bytearray(buf.getvalue())
    i = data.index(b"\xff\xc2")
    data[i + 5 : i + 9] = h.to_bytes(2, "big") + w.to_bytes(2, "big")
    return bytes(data)


@pytest.fixture
def no_decoding(monkeypatch):
    """Fails the test if any pixel is decoded."""
    calls = []

    def load(self, *a, **k):
        calls.append(self.size)
        raise AssertionError(f"decoded {self.size}")

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    return calls


def _only_check(report):
    assert not report.usable
    assert [c.code for c in report.checks] == ["too_many_pixels"]
    return report.checks[0].message


def test_49_megapixel_png_is_refused_from_its_header(no_decoding):
    message = _only_check(
        check_photo(_png_header_only(7000, 7000), profile=DEFAULT_PROFILE, key=KEY)
    )
    assert "图片像素过大" in message and "7000×7000" in message
    assert "2500 万像素以内" in message and "PNG" in message
    assert no_decoding == []


def test_16_megapixel_webp_is_refused_from_its_header(no_decoding):
    data = _big_webp()
    assert len(data) < 100_000
    message = _only_check(check_photo(data, profile=DEFAULT_PROFILE, key=KEY))
    assert "1200 万像素以内" in message and "WEBP" in message
    assert no_decoding == []


def test_large_progressive_jpeg_is_refused_from_its_header(no_decoding):
    # libjpeg keeps a progressive JPEG's coefficients at full size, whatever the draft scale.
    message = _only_check(
        check_photo(_progressive_jpeg_header(6000, 5000), profile=DEFAULT_PROFILE, key=KEY)
    )
    assert "渐进式" in message and "2500 万像素以内" in message
    assert no_decoding == []


def test_long_baseline_jpeg_too_large_even_in_draft_mode_is_refused(no_decoding):
    data = bytearray(jpeg(np.full((16, 16, 3), 200, np.uint8)))
    i = data.index(b"\xff\xc0")
    data[i + 5 : i + 9] = (2000).to_bytes(2, "big") + (24_000).to_bytes(2, "big")  # h, w
    message = _only_check(check_photo(bytes(data), profile=DEFAULT_PROFILE, key=KEY))
    assert "图片像素过大" in message
    assert no_decoding == []


def test_large_png_is_reduced_right_after_decoding():
    buf = io.BytesIO()
    Image.new("RGB", (2600, 3600), (250, 250, 250)).save(buf, "PNG")
    dec = decode(buf.getvalue(), DEFAULT_PROFILE)
    assert dec.src_size == (2600, 3600)
    assert (dec.width, dec.height) == (1300, 1800)  # halved: the short side stays >= 1200
    assert dec.width * dec.height < FULL_DECODE_MAX_PIXELS


def test_pillow_guard_is_lowered_for_the_whole_process():
    assert 0 < Image.MAX_IMAGE_PIXELS <= PIXEL_GUARD
    assert DEFAULT_PROFILE.max_pixels < PIXEL_GUARD  # the profile's cap refuses first


# --- pages ------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("photo_settings")
def test_check_page_refuses_a_pixel_bomb_in_chinese(client, no_decoding):
    response = client.post(CHECK, {"photo": upload(_png_header_only(7000, 7000), "bomb.png")})
    assert response.status_code == 200
    html = text(response)
    assert "图片像素过大" in html and "2500 万像素以内" in html
    assert no_decoding == []


@pytest.fixture
def all_slots_taken(settings):
    settings.PHOTO_CHECK_SLOTS = 1
    settings.PHOTO_CHECK_WAIT_S = 0.05
    slots = services._check_slots()
    assert slots.acquire(timeout=5)
    yield
    slots.release()


@pytest.mark.django_db
@pytest.mark.usefixtures("photo_settings", "all_slots_taken")
def test_check_page_says_busy_when_every_check_slot_is_taken(client):
    response = client.post(CHECK, {"photo": upload(raw())})
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert services.BUSY_MESSAGE in text(response)
    assert response.context["result"] is None


@pytest.mark.django_db
@pytest.mark.usefixtures("photo_settings", "all_slots_taken")
def test_upload_check_says_busy_too(client, candidate):
    client.force_login(candidate.user)
    response = client.post(UPLOAD_CHECK, {"check-photo": upload(raw())})
    assert response.status_code == 503
    assert services.BUSY_MESSAGE in text(response)


def test_checks_of_one_process_run_one_at_a_time(settings, monkeypatch):
    settings.PHOTO_CHECK_SLOTS = 1
    settings.PHOTO_CHECK_WAIT_S = 30
    running, peak, lock = [0], [0], threading.Lock()

    def slow_check(data, **kwargs):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.05)
        with lock:
            running[0] -= 1
        return check_photo(b"", profile=DEFAULT_PROFILE, key=KEY)  # an unusable report

    monkeypatch.setattr(services, "_check_photo", slow_check)
    monkeypatch.setattr(services, "photo_mark_key", lambda: KEY)
    threads = [
        threading.Thread(target=services.photo_check, kwargs={"data": b"x"}) for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert peak[0] == 1


@pytest.mark.django_db
@pytest.mark.usefixtures("photo_settings")
def test_check_page_is_rate_limited_per_client_address(client):
    bomb = _png_header_only(7000, 7000)  # refused from its header: cheap to send 60 times
    for _ in range(60):
        assert "检测过于频繁" not in text(client.post(CHECK, {"photo": upload(bomb, "b.png")}))
    assert "检测过于频繁" in text(client.post(CHECK, {"photo": upload(bomb, "b.png")}))
    other = client.post(CHECK, {"photo": upload(bomb, "b.png")}, REMOTE_ADDR="10.1.2.3")
    assert "检测过于频繁" not in text(other)
