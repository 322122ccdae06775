import dataclasses
import io

import numpy as np
import pytest
from photo_factory import BLUE, KEY, encode, heic, jpeg, portrait, upscaled_small, with_exif
from PIL import Image

from yikao.exams.photo_rules import TIMEOUT_MESSAGE
from yikao.photos import DEFAULT_PROFILE, PhotoProfile, Status, check_photo, sniff, verify_mark
from yikao.photos.face import detect_faces, to_gray
from yikao.photos.mark import PREFIX, _mac, add_mark, comments

P = DEFAULT_PROFILE
PASS, FIXED, FAIL, SKIPPED = Status.PASS, Status.FIXED, Status.FAIL, Status.SKIPPED


def statuses(report):
    return {c.code: c.status for c in report.checks}


def decoded(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


def test_profile_dict_and_fingerprint_are_stable():
    d = P.to_dict()
    assert d["max_bytes"] == 30 * 1024 and d["min_width"] == 190 and d["min_height"] == 254
    assert (d["out_width"], d["out_height"]) == (413, 531)
    assert P.fingerprint() == PhotoProfile().fingerprint()
    assert P.fingerprint().startswith("nmec-xiao2cun-v1:")
    assert dataclasses.replace(P, max_bytes=40 * 1024).fingerprint() != P.fingerprint()
    assert abs(190 / 254 / P.aspect - 1) <= P.aspect_tolerance


def test_white_portrait_passes_and_is_marked():
    r = check_photo(jpeg(portrait()), profile=P, key=KEY)
    assert r.passed and r.usable
    assert statuses(r) == {
        "format": PASS, "orientation": PASS, "metadata": PASS, "min_size": PASS,
        "screenshot": PASS, "face_count": PASS, "face_size": PASS, "centred": PASS,
        "aspect": FIXED, "upscaled": PASS, "exposure": PASS, "frontal": PASS,
        "background": PASS, "file_size": PASS,
    }  # fmt: skip
    assert r.byte_size == len(r.jpeg) <= 30 * 1024
    assert (r.width, r.height) == (206, 265)  # native-resolution face: never upscaled to 413
    assert decoded(r.jpeg).shape == (265, 206, 3)
    assert verify_mark(r.jpeg, P, KEY)
    assert all(c.message for c in r.checks)


def test_output_is_an_id_photo_crop():
    r = check_photo(jpeg(portrait()), profile=P, key=KEY)
    rgb = decoded(r.jpeg)
    (face,) = detect_faces(to_gray(rgb))
    h, w = rgb.shape[:2]
    assert abs(face.cx / w - 0.5) < 0.05  # centred
    assert 0.18 < face.y / h < 0.32  # head in the upper part
    assert rgb[:5].min() >= 250 and rgb[:40, :10].min() >= 250  # background flattened to white


def test_blue_background_fails():
    r = check_photo(jpeg(portrait(BLUE)), profile=P, key=KEY)
    assert not r.passed and r.usable and r.jpeg is None
    assert [c.code for c in r.failures] == ["background"]
    assert r.get("background").detail["median_rgb"] == list(BLUE)
    assert r.get("file_size").status == SKIPPED


def test_two_faces_fail():
    one = portrait()
    r = check_photo(jpeg(np.hstack([one, one])), profile=P, key=KEY)
    assert [c.code for c in r.failures] == ["face_count"]
    assert r.get("face_count").detail == {"count": 2}
    assert r.get("background").status == SKIPPED and r.jpeg is None


@pytest.mark.parametrize("kind", ["blank", "landscape"])
def test_no_face_fails(kind):
    if kind == "blank":
        img = np.full((520, 400, 3), 250, np.uint8)
    else:
        y = np.linspace(0, 1, 520)[:, None, None]
        img = (np.array([90, 160, 230]) * (1 - y) + np.array([60, 120, 40]) * y).astype(np.uint8)
        img = np.repeat(img, 400, axis=1)
    r = check_photo(jpeg(img), profile=P, key=KEY)
    assert [c.code for c in r.failures] == ["face_count"]
    assert r.get("face_count").detail == {"count": 0}


def test_exif_orientation_is_applied():
    upright = portrait()
    stored = np.ascontiguousarray(np.rot90(upright, k=1))  # lying on its side, as phones store it
    assert detect_faces(to_gray(stored)) == []
    r = check_photo(with_exif(stored, orientation=6), profile=P, key=KEY)
    assert r.passed
    assert r.get("orientation").status == FIXED
    assert r.get("orientation").detail == {"exif_orientation": 6}
    assert r.height > r.width
    assert len(detect_faces(to_gray(decoded(r.jpeg)))) == 1


def test_gps_exif_is_stripped():
    data = with_exif(portrait(), gps=True)
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)
    r = check_photo(data, profile=P, key=KEY)
    assert r.passed
    assert r.get("metadata").status == FIXED and r.get("metadata").detail == {"gps": True}
    out = Image.open(io.BytesIO(r.jpeg))
    assert len(out.getexif()) == 0
    assert b"Exif" not in r.jpeg and b"PhoneMaker" not in r.jpeg
    assert "icc_profile" not in out.info and "xmp" not in out.info


def test_upscaled_small_photo_is_detected():
    r = check_photo(jpeg(upscaled_small(100, 130)), profile=P, key=KEY)
    assert [c.code for c in r.failures] == ["upscaled"]
    assert r.get("min_size").status == PASS  # big enough on paper, but no real detail
    assert r.jpeg is None


def test_large_photo_is_compressed_under_30kb_and_passes():
    big = portrait(scale=4.5, noise=8)
    data = jpeg(big, 95)
    assert len(data) >= 1_000_000
    r = check_photo(data, profile=P, key=KEY)
    assert r.passed, [c.to_dict() for c in r.failures]
    assert (r.width, r.height) == (413, 531)
    assert len(r.jpeg) <= 30 * 1024
    assert r.get("file_size").detail["quality"] >= P.quality_min
    assert verify_mark(r.jpeg, P, KEY)


def test_png_named_jpg_is_detected_by_content(tmp_path):
    f = tmp_path / "photo.jpg"
    f.write_bytes(encode(portrait(), "PNG"))
    data = f.read_bytes()
    assert sniff(data) == "PNG"
    r = check_photo(data, profile=P, key=KEY)
    assert r.passed and r.get("format").status == FIXED
    assert r.get("format").detail == {"source": "PNG"}
    assert r.jpeg[:3] == b"\xff\xd8\xff"
    strict = dataclasses.replace(P, allowed_formats=("JPEG",))
    r2 = check_photo(data, profile=strict, key=KEY)
    assert not r2.usable and not r2.passed and r2.jpeg is None
    assert [c.code for c in r2.checks] == ["format"]
    assert "PNG" in r2.checks[0].message


JPEG_ONLY = dataclasses.replace(P, allowed_formats=("JPEG",))


def test_heic_from_an_iphone_is_converted_to_a_marked_jpeg():
    data = heic(portrait())
    assert sniff(data) == "HEIF"
    r = check_photo(data, profile=P, key=KEY)
    assert r.passed, [c.to_dict() for c in r.failures]
    assert r.get("format").status == FIXED and r.get("format").detail == {"source": "HEIF"}
    assert r.jpeg[:3] == b"\xff\xd8\xff" and len(r.jpeg) <= 30 * 1024
    assert r.height > r.width and decoded(r.jpeg).shape == (r.height, r.width, 3)
    assert verify_mark(r.jpeg, P, KEY)


def test_heic_lying_on_its_side_is_turned_upright_once():
    stored = np.ascontiguousarray(np.rot90(portrait(), k=1))
    r = check_photo(heic(stored, orientation=6), profile=P, key=KEY)
    assert r.passed, [c.to_dict() for c in r.failures]
    assert r.get("orientation").status == FIXED
    assert r.get("metadata").status == FIXED and b"Apple" not in r.jpeg
    assert r.height > r.width


def test_heic_is_refused_with_a_clear_message_when_only_jpeg_is_accepted():
    r = check_photo(heic(portrait()), profile=JPEG_ONLY, key=KEY)
    assert not r.usable and [c.code for c in r.checks] == ["format"]
    assert "HEIC" in r.checks[0].message and "只接受 JPG" in r.checks[0].message


def test_heic_header_without_an_image_is_unusable():
    data = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 100
    r = check_photo(data, profile=P, key=KEY)
    assert not r.usable and [(c.code, c.status) for c in r.checks] == [("decode", FAIL)]


LAZY_HEIF = """
import json, sys
from pathlib import Path
from yikao.photos.decode import decode
from yikao.exams.photo_rules import DEFAULT_PROFILE
steps = []
for name in ("photo.jpg", "photo.heic"):
    decode(Path(sys.argv[1], name).read_bytes(), DEFAULT_PROFILE)
    steps.append("pillow_heif" in sys.modules)
print(json.dumps(steps))
"""


def test_pillow_heif_is_imported_only_when_a_heic_arrives(tmp_path):
    import json
    import subprocess
    import sys
    from pathlib import Path

    # made here: skimage's image loading (the astronaut) imports pillow_heif by itself
    (tmp_path / "photo.jpg").write_bytes(jpeg(portrait()))
    (tmp_path / "photo.heic").write_bytes(heic(portrait()))
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", LAZY_HEIF, str(tmp_path)], cwd=root, capture_output=True,
        text=True, check=True, timeout=120,
    )  # fmt: skip
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [False, True]


def test_check_over_its_time_budget_fails_with_a_message():
    r = check_photo(jpeg(portrait()), profile=dataclasses.replace(P, time_budget_s=1e-6), key=KEY)
    assert not r.usable and not r.passed and r.jpeg is None
    assert [(c.code, c.status, c.message) for c in r.checks] == [("timeout", FAIL, TIMEOUT_MESSAGE)]
    assert TIMEOUT_MESSAGE == "照片处理超时，请换一张较小的照片重试。"


@pytest.mark.parametrize("stage", ["detect", "fix", "encode"])
def test_check_over_its_time_budget_stops_between_stages(monkeypatch, stage):
    """The budget runs out during a later stage: that stage ends, no further one starts."""
    from yikao.photos import checker

    seen = []
    real = checker._budget

    def budget(p, t0):
        on_time = real(p, t0)

        def spy(name):
            seen.append(name)
            if name == stage:
                raise checker.PhotoError("timeout", TIMEOUT_MESSAGE)
            on_time(name)

        return spy

    monkeypatch.setattr(checker, "_budget", budget)
    r = check_photo(jpeg(portrait()), profile=P, key=KEY)
    assert [c.code for c in r.checks] == ["timeout"] and not r.passed
    assert seen[-1] == stage and seen[0] == "decode"


def test_time_budget_is_not_part_of_the_fingerprint():
    slow = dataclasses.replace(P, time_budget_s=60.0)
    assert slow.fingerprint() == P.fingerprint()
    r = check_photo(jpeg(portrait()), profile=slow, key=KEY)
    assert verify_mark(r.jpeg, P, KEY)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "decode"),
        (b"hello, this is not an image" * 10, "format"),
        (b"GIF89a" + b"\x00" * 50, "format"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 64, "decode"),
    ],
)
def test_non_images_are_unusable(data, code):
    r = check_photo(data, profile=P, key=KEY)
    assert not r.usable and not r.passed and r.jpeg is None
    assert [(c.code, c.status) for c in r.checks] == [(code, FAIL)]


def test_truncated_jpeg_is_unusable():
    data = jpeg(portrait())
    r = check_photo(data[: len(data) // 2], profile=P, key=KEY)
    assert not r.usable
    assert [c.code for c in r.checks] == ["decode"]


def test_byte_cap_before_decoding():
    small = dataclasses.replace(P, max_input_bytes=10_000)
    r = check_photo(jpeg(portrait()), profile=small, key=KEY)
    assert not r.usable and [c.code for c in r.checks] == ["too_large"]


def _png_header_only(w: int, h: int) -> bytes:
    import struct
    import zlib

    def chunk(t, body):
        return struct.pack(">I", len(body)) + t + body + struct.pack(">I", zlib.crc32(t + body))

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64))


def test_decompression_bomb_png_is_refused():
    buf = io.BytesIO()
    Image.new("1", (8000, 8000)).save(buf, "PNG")  # 64 MP, a few kB
    assert len(buf.getvalue()) < 20_000
    r = check_photo(buf.getvalue(), profile=P, key=KEY)
    assert not r.usable and [c.code for c in r.checks] == ["too_many_pixels"]


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_20000_square_header_is_refused(fmt):
    if fmt == "PNG":
        data = _png_header_only(20_000, 20_000)
    else:  # patch the SOF0 dimensions of a small JPEG
        data = bytearray(jpeg(np.full((16, 16, 3), 200, np.uint8)))
        i = data.index(b"\xff\xc0")
        data[i + 5 : i + 9] = (20_000).to_bytes(2, "big") * 2
        data = bytes(data)
    r = check_photo(data, profile=P, key=KEY)
    assert not r.usable and [c.code for c in r.checks] == ["too_many_pixels"]


def test_screenshot_border_fails():
    img = portrait()
    img[:12], img[-12:], img[:, :12], img[:, -12:] = 20, 20, 20, 20
    r = check_photo(jpeg(img), profile=P, key=KEY)
    assert r.get("screenshot").status == FAIL
    assert set(r.get("screenshot").detail["sides"]) == {"top", "bottom", "left", "right"}


def test_dark_photo_fails_exposure():
    img = (portrait().astype(np.float32) * 0.3).astype(np.uint8)
    r = check_photo(jpeg(img), profile=P, key=KEY)
    assert r.get("exposure").status == FAIL and "过暗" in r.get("exposure").message
    assert not r.passed


def test_face_at_the_edge_is_not_centred():
    img = portrait()[:, 170:]  # face box starts ~8 px from the left edge
    r = check_photo(jpeg(img), profile=P, key=KEY)
    assert [c.code for c in r.failures] == ["centred"]
    assert r.get("centred").detail["offset_x"] < -0.2


def test_mark_round_trip_and_tampering():
    r = check_photo(jpeg(portrait()), profile=P, key=KEY)
    good = r.jpeg
    assert verify_mark(good, P, KEY)
    assert sum(c.startswith(PREFIX) for c in comments(good)) == 1
    assert not verify_mark(good, P, b"another key")
    assert not verify_mark(good, dataclasses.replace(P, max_bytes=40 * 1024), KEY)
    # one pixel changed, re-encoded losslessly as far as possible, old mark copied over
    px = decoded(good).copy()
    px[10, 10] = 255 - px[10, 10]
    mark = next(c for c in comments(good) if c.startswith(PREFIX))
    seg = b"\xff\xfe" + (len(mark) + 2).to_bytes(2, "big") + mark
    fake = jpeg(px, 100)
    assert not verify_mark(fake[:2] + seg + fake[2:], P, KEY)
    # the MAC itself changes with any single pixel
    rgb = decoded(good)
    one = rgb.copy()
    one[0, 0, 0] ^= 1
    assert _mac(rgb, P, KEY) != _mac(one, P, KEY)
    # unmarked, double-marked, garbage
    assert not verify_mark(jpeg(rgb), P, KEY)
    assert not verify_mark(add_mark(good, P, KEY), P, KEY)
    assert not verify_mark(b"not a jpeg", P, KEY)
    assert not verify_mark(good[: len(good) // 2], P, KEY)
    # a fresh mark on the same pixels is identical (decoding is deterministic)
    unmarked = good.replace(seg, b"") if seg in good else None
    assert unmarked is not None and add_mark(unmarked, P, KEY) == good


def test_key_must_be_bytes():
    with pytest.raises(ValueError):
        check_photo(jpeg(portrait()), profile=P, key=b"")
