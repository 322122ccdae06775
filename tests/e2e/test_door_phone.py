"""The door check on a 375-px phone: choose the door, type a 准考证号 → green, the wrong room
→ amber warning, a forged code → red; the form goes by fetch (the page stays) and also as a
plain form without JavaScript. The camera path runs on Chromium's fake camera fed a
y4m video of a real ticket QR code, through the vendored jsQR. Screenshots under
test-results/screenshots/door-*.png."""

import io

import pytest
from door_helpers import build_door_world
from PIL import Image
from review_helpers import staff_session_cookie

from yikao.documents.pdf.qr import qr_matrix
from yikao.seating.models import CheckIn
from yikao.seating.ticket_code import ticket_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _ticket_key(tmp_path, monkeypatch):
    monkeypatch.setenv("YIKAO_TICKET_KEY", str(tmp_path / "tickets" / "ed25519.pem"))


def _real_photo(seat):
    """A real JPEG behind the seat's photo row (the factory's bytes are not an image)."""
    from yikao.photos.models import CandidatePhoto

    photo = CandidatePhoto.objects.get(sha256=seat.registration.photo_sha256)
    image = Image.new("RGB", (413, 531), (225, 232, 240))
    for y in range(120, 531):  # a head-and-shoulders silhouette
        for x in range(413):
            if (x - 206) ** 2 / 95**2 + (y - 210) ** 2 / 120**2 < 1 or (
                y > 380 and abs(x - 206) < 190 - (531 - y) // 3
            ):
                image.putpixel((x, y), (70, 80, 95))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    with photo.image.open("wb") as handle:
        handle.write(buffer.getvalue())


def _fits(page, name):
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= 375, f"{name}: the page scrolls sideways ({scroll}px)"


def _choose(page, w, *, go=True):
    if go:
        page.goto("/seating/door/")
    page.get_by_label("考试场次").select_option(str(w.morning.pk))
    page.get_by_label("考场").select_option(str(w.room1.pk))
    page.get_by_role("button", name="开始核验").click()
    page.wait_for_load_state()


def test_door_check_on_a_phone(phone_page, shot, live_server):
    w = build_door_world()
    _real_photo(w.seat1)
    page = phone_page
    page.context.add_cookies(staff_session_cookie(w.staff, live_server.url))
    page.goto("/seating/door/")
    _fits(page, "choose")
    shot(page, "door-choose-phone")
    _choose(page, w)
    assert "已核验 0 / 应到 1" in page.inner_text("#door-count")
    assert page.get_by_role("button", name="扫描二维码").is_visible()
    page.evaluate("window.stayed = true")  # a full page load would drop it

    page.get_by_label("输入准考证号").fill(w.seat1.ticket_no)
    page.get_by_role("button", name="核验", exact=True).click()
    page.wait_for_selector('#door-result [data-outcome="ok"]')
    assert page.evaluate("window.stayed") is True
    assert "核验通过" in page.inner_text("#door-result") and "王小明" in page.inner_text(
        "#door-result"
    )
    assert "已核验 1 / 应到 1" in page.inner_text("#door-count")
    # Polled from here: wait_for_function would eval a string, which the CSP refuses.
    width = 0
    for _ in range(50):
        width = page.evaluate("(() => { const i = document.querySelector('img.door-photo');"
                              " return i && i.complete ? i.naturalWidth : 0; })()")  # fmt: skip
        if width:
            break
        page.wait_for_timeout(100)
    assert width == 413
    assert page.get_by_label("输入准考证号").input_value() == ""
    _fits(page, "ok")
    shot(page, "door-ok-phone")

    page.get_by_label("输入准考证号").fill(w.seat2.ticket_no)
    page.get_by_role("button", name="核验", exact=True).click()
    page.wait_for_selector('#door-result [data-outcome="wrong_room"]')
    assert "考场不符（应在 002 考场 5 号座位）" in page.inner_text("#door-result")
    _fits(page, "wrong room")
    shot(page, "door-wrong-room-phone")

    page.get_by_label("输入准考证号").fill("YK1.not.ours")
    page.get_by_role("button", name="核验", exact=True).click()
    page.wait_for_selector('#door-result [data-outcome="forged"]')
    assert "伪造或无效的准考证" in page.inner_text("#door-result")
    shot(page, "door-forged-phone")

    page.get_by_label("输入准考证号").fill("12345")
    page.get_by_role("button", name="核验", exact=True).click()
    page.wait_for_selector(".door-typed-error")
    assert "准考证号为 18 位数字" in page.inner_text("#door-result")
    shot(page, "door-typed-error-phone")
    assert list(CheckIn.objects.order_by("pk").values_list("outcome", flat=True)) == [
        "ok", "wrong_room",
    ]  # fmt: skip


def test_door_check_without_javascript(browser, live_server, shot):
    w = build_door_world()
    context = browser.new_context(
        viewport={"width": 375, "height": 812}, locale="zh-CN", base_url=live_server.url,
        java_script_enabled=False, is_mobile=True, device_scale_factor=2,
    )  # fmt: skip
    try:
        page = context.new_page()
        context.add_cookies(staff_session_cookie(w.staff, live_server.url))
        _choose(page, w)
        assert not page.get_by_role("button", name="扫描二维码").is_visible()
        page.get_by_label("输入准考证号").fill(w.seat_pm.ticket_no)
        page.get_by_role("button", name="核验", exact=True).click()
        page.wait_for_load_state()
        assert "场次不符" in page.inner_text("#door-result")
        _fits(page, "no js")
        shot(page, "door-wrong-session-nojs-phone")
    finally:
        context.close()


def _qr_video(path, text):
    """A y4m (YUV 4:2:0) file of a ticket's QR code on white: Chromium's fake camera."""
    matrix = qr_matrix(text, border=4)
    scale = 6
    side = len(matrix) * scale
    width, height = 640, 480
    image = Image.new("L", (width, height), 255)
    left, top = (width - side) // 2, (height - side) // 2
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                image.paste(0, (left + c * scale, top + r * scale,
                                left + (c + 1) * scale, top + (r + 1) * scale))  # fmt: skip
    luma = image.tobytes()
    chroma = bytes([128]) * (width * height // 4)
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(10):
            out.write(b"FRAME\n" + luma + chroma + chroma)


@pytest.mark.parametrize("genuine", [True, False], ids=["genuine", "forged"])
def test_the_camera_reads_a_ticket_qr_with_jsqr(genuine, browser, live_server, tmp_path, shot):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from tests.e2e.conftest import CHROMIUM
    from yikao.seating.ticket_code import claim_of, sign_claim

    w = build_door_world()
    _real_photo(w.seat1)
    video = tmp_path / "qr.y4m"
    forged = sign_claim(claim_of(w.seat1), Ed25519PrivateKey.generate())
    _qr_video(video, ticket_code(w.seat1) if genuine else forged)
    outcome = "ok" if genuine else "forged"
    # A browser of its own: the fake camera is a launch flag (the session browser has none).
    camera_browser = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=["--no-sandbox", "--disable-gpu", "--use-fake-ui-for-media-stream",
              "--use-fake-device-for-media-stream", f"--use-file-for-fake-video-capture={video}"],
    )  # fmt: skip
    try:
        context = camera_browser.new_context(
            viewport={"width": 375, "height": 812}, locale="zh-CN",
            base_url=live_server.url, is_mobile=True, device_scale_factor=2,
        )  # fmt: skip
        context.grant_permissions(["camera"])
        page = context.new_page()
        page.set_default_timeout(15_000)
        context.add_cookies(staff_session_cookie(w.staff, live_server.url))
        _choose(page, w)
        page.get_by_role("button", name="扫描二维码").click()
        page.wait_for_selector(f'#door-result [data-outcome="{outcome}"]')
        assert ("王小明" in page.inner_text("#door-result")) is genuine
        assert page.get_by_role("button", name="关闭摄像头").is_visible()
        shot(page, f"door-camera-{outcome}-phone")
    finally:
        camera_browser.close()
    assert CheckIn.objects.filter(seat=w.seat1, outcome="ok").exists() is genuine


def test_door_check_on_a_desktop(page, shot, live_server):
    w = build_door_world()
    _real_photo(w.seat1)
    page.context.add_cookies(staff_session_cookie(w.area_staff, live_server.url))
    page.goto("/seating/door/")
    assert "4102" in page.inner_text("main")  # area staff first choose a site
    shot(page, "door-choose-site-desktop")
    page.get_by_label("考点").select_option(str(w.site.pk))
    page.get_by_role("button", name="下一步").click()
    page.wait_for_load_state()
    _choose(page, w, go=False)
    page.get_by_label("输入准考证号").fill(w.seat1.ticket_no)
    page.get_by_role("button", name="核验", exact=True).click()
    page.wait_for_selector('#door-result [data-outcome="ok"]')
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    shot(page, "door-ok-desktop")
