"""Issue 18: pixel-repetition enlargement is refused; a face on a plain coloured background is
found, and the photo is refused for its background."""

import cv2
import numpy as np
import pytest
from photo_factory import ID_BLUE, ID_RED, KEY, jpeg, nn_enlarged, portrait

from yikao.photos import DEFAULT_PROFILE, Status, check_photo
from yikao.photos.checks import pixel_repeat
from yikao.photos.face import detect_faces, find_faces, neutral_gray, to_gray

P = DEFAULT_PROFILE
NEAREST = cv2.INTER_NEAREST


@pytest.mark.parametrize(
    ("small", "big"),
    [
        ((150, 195), (300, 390)),  # 2×
        ((100, 130), (400, 520)),  # 4×
        ((120, 156), (300, 390)),  # 2.5×: irregular repeats, 2 kept of 5
        ((200, 260), (300, 390)),  # 1.5×: irregular, 2 of 3; the face crop keeps < 190 px
        ((140, 182), (413, 537)),  # 2.95×
        ((60, 78), (600, 780)),  # 10×: long runs, the real width is still counted
    ],
)
@pytest.mark.parametrize("quality", [95, 85, 70])
def test_pixel_repeated_enlargement_is_refused(small, big, quality):
    r = check_photo(jpeg(nn_enlarged(*small, big), quality), profile=P, key=KEY)
    up = r.get("upscaled")
    assert up.status == Status.FAIL and "放大" in up.message and "原始照片" in up.message
    assert "upscaled" in [c.code for c in r.failures] and r.jpeg is None
    assert min(up.detail["repeat_columns"], up.detail["repeat_rows"]) >= 0.15
    assert up.detail["effective_width"] < P.min_width
    # the real width is estimated within 40 % (a long run of repeats lets JPEG noise through)
    real = up.detail["crop_width"] * small[0] / big[0]
    assert 0.7 * real <= up.detail["effective_width"] <= 1.4 * real


@pytest.mark.parametrize("quality", [95, 85, 70])
@pytest.mark.parametrize("kind", ["native", "large_noisy", "blue"])
def test_camera_photos_show_no_repeats(kind, quality):
    img = {"native": portrait(), "large_noisy": portrait(scale=4.5, noise=8)}.get(kind)
    img = portrait(ID_BLUE) if img is None else img
    r = check_photo(jpeg(img, quality), profile=P, key=KEY)
    up = r.get("upscaled")
    assert up.status == Status.PASS and up.message == "照片清晰度正常，未发现放大。"
    assert max(up.detail["repeat_columns"], up.detail["repeat_rows"]) < 0.08


def test_mild_pixel_repetition_with_enough_real_pixels_passes_and_says_so():
    # a photo with ~470 real pixels across the face crop, zoomed 1.25× by repetition
    img = cv2.resize(portrait(scale=2.4, noise=3), None, fx=1.25, fy=1.25, interpolation=NEAREST)
    r = check_photo(jpeg(img, 90), profile=P, key=KEY)
    up = r.get("upscaled")
    assert r.passed and up.status == Status.PASS and "曾被放大" in up.message
    assert 0.15 <= min(up.detail["repeat_columns"], up.detail["repeat_rows"]) <= 0.25
    assert up.detail["effective_width"] >= P.min_width


def test_repeat_share_of_an_exact_2x_repetition_is_one_half():
    rng = np.random.default_rng(3)
    small = rng.integers(0, 255, (200, 200), dtype=np.uint8)
    rep = pixel_repeat(np.repeat(np.repeat(small, 2, axis=0), 2, axis=1))
    assert abs(rep.columns - 0.5) < 0.01 and abs(rep.rows - 0.5) < 0.01 and rep.shown
    assert abs(rep.kept_columns - 0.5) < 0.01 and abs(rep.kept_rows - 0.5) < 0.01
    rep = pixel_repeat(small)
    assert (rep.columns, rep.rows, rep.shown) == (0.0, 0.0, False)


@pytest.mark.parametrize("bg", [ID_BLUE, ID_RED])
def test_face_on_a_plain_coloured_background_is_refused_for_the_background(bg):
    img = portrait(bg, scale=2)
    assert bg != ID_BLUE or detect_faces(to_gray(img)) == []  # what issue 18 reported
    assert len(find_faces(img, to_gray(img))) == 1
    r = check_photo(jpeg(img), profile=P, key=KEY)
    assert r.get("face_count").status == Status.PASS
    assert [c.code for c in r.failures] == ["background"]
    msg = r.get("background").message
    assert msg.startswith("背景不是白色") and "请在白色背景前重新拍摄" in msg


def test_neutral_gray_needs_a_plain_border():
    rng = np.random.default_rng(5)
    textured = rng.integers(0, 255, (400, 300, 3), dtype=np.uint8)
    assert neutral_gray(textured) is None
    g = neutral_gray(portrait(ID_BLUE))
    assert g is not None and g[:10].min() == 255 and g[200:260, 150:250].mean() < 200


def test_a_tilted_head_is_found_and_refused_as_tilted():
    from corpus import hopper, rotated

    img = rotated(hopper(), 15)
    gray = to_gray(img)
    assert detect_faces(gray) == []  # upright search misses it
    (face,) = find_faces(img, gray)
    assert face.turned != 0
    r = check_photo(jpeg(img), profile=P, key=KEY)
    assert [c.code for c in r.failures] == ["frontal"]
    assert "头部歪斜" in r.get("frontal").message
    assert 12 <= abs(r.get("frontal").detail["roll_deg"]) <= 20


def test_an_upright_face_is_found_without_turning():
    img = portrait()
    (face,) = find_faces(img, to_gray(img))
    assert face.turned == 0


def test_a_dark_photo_is_refused_for_the_light_only():
    img = (portrait().astype(np.float32) * 0.3).astype(np.uint8)
    r = check_photo(jpeg(img), profile=P, key=KEY)
    assert [c.code for c in r.failures] == ["exposure"]
    assert r.get("background").status == Status.SKIPPED
