"""A registration's snapshot → the PDF library's inputs; the QR payload."""

import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import signing
from factories import make_exam, make_site

sys.path.insert(0, str(Path(__file__).parent))
from docs_factory import make_registration

from yikao.documents import mapping
from yikao.documents.qrpayload import (
    SALT,
    InvalidQRCode,
    registration_from_qr,
    registration_qr_token,
    registration_qr_url,
)
from yikao.profiles.models import Education, Profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration():
    return make_registration(full_name="李𠮷䶮")


def test_candidate_info_comes_from_the_snapshot(registration):
    c = mapping.candidate_info(registration)
    assert c.name == "李𠮷䶮"
    assert c.gender == "男"
    assert c.birth_month == registration.candidate.birth_date.isoformat()[:7]
    assert c.id_type == "居民身份证"
    assert c.id_number == registration.candidate.id_number  # in full, on the own form
    assert c.phone == registration.candidate.mobile  # in full: the exam site calls it
    assert "****" not in c.phone
    assert (c.education_level, c.school, c.major) == ("本科", "郑州大学", "临床医学")
    assert c.graduation_month == "2024-06"
    assert c.work_unit == "郑州市第一人民医院"
    assert c.trial_start == "2024-08"
    assert (c.category, c.category_code) == ("临床执业医师", "110")
    assert c.postgraduate_graduation == ""


def test_later_profile_edits_do_not_change_the_printed_forms(registration):
    Education.objects.filter(candidate=registration.candidate).update(school_name="改名大学")
    Profile.objects.filter(candidate=registration.candidate).update(work_unit_name="别的医院")
    candidate = registration.candidate
    candidate.full_name = "王五"
    candidate.save()
    registration.refresh_from_db()
    c, _, r = mapping.pdf_inputs(registration)
    assert (c.name, c.school, c.work_unit) == ("李𠮷䶮", "郑州大学", "郑州市第一人民医院")
    assert dict(r.education[0])["毕业学校"] == "郑州大学"


def test_exam_year_comes_from_the_exam_and_is_not_repeated_in_the_name():
    registration = make_registration(year=2031)
    exam = mapping.exam_info(registration)
    assert (exam.year, exam.name) == (2031, "医师资格考试")


def test_registration_info_carries_number_site_records_documents_and_photo(registration):
    r = mapping.registration_info(registration, photo_jpeg=b"jpeg", qr_url="https://x/q/")
    assert r.registration_number == registration.number
    assert (r.exam_area, r.exam_site) == ("河南考区", "郑州考点")
    assert r.submitted_at == registration.submitted_at  # the same instant, in local time
    assert str(r.submitted_at.tzinfo) == django_settings.TIME_ZONE
    assert dict(r.education[0]) == {
        "学历": "本科", "毕业学校": "郑州大学", "专业": "临床医学", "学制": "5年",
        "学习形式": "全日制", "入学年月": "2019-09", "毕业年月": "2024-06",
        "毕业证书编号": "104591202405001234",
    }  # fmt: skip
    assert r.training == () and r.certificates == ()
    assert dict(r.work[0]) == {
        "机构类型": "县级及以上医疗机构",
        "岗位类别": "临床",
        "在岗情况": "试用期",
        "工作起始年月": "2024-08",
    }
    assert list(r.documents_to_bring) == [d["label"] for d in registration.documents]
    assert r.photo_jpeg == b"jpeg"
    assert r.qr_payload == "https://x/q/"
    assert r.shortline_subject == ""


def test_applicable_codes_are_the_registration_form_then_the_engines_forms(registration):
    engine = [d["code"] for d in registration.documents if d["code"]]
    assert engine == ["trial_certificate", "exam_pledge"]
    assert mapping.applicable_codes(registration) == ["registration_form", *engine]


def test_applicable_codes_skip_unknown_and_repeated_codes(registration):
    registration.documents = [
        {"label": "a", "code": "exam_pledge", "appendix": "附件11"},
        {"label": "b", "code": "exam_pledge", "appendix": "附件11"},
        {"label": "c", "code": "no_such_form", "appendix": None},
        {"label": "d", "code": None, "appendix": None},
    ]
    assert mapping.applicable_codes(registration) == ["registration_form", "exam_pledge"]


def test_assistant_certificate_and_current_postgraduate_are_mapped(registration):
    snapshot = registration.snapshot
    snapshot["certificates"] = [
        {"cert_type": "执业助理医师", "number": "Q123", "registration_number": "P456",
         "issue_date": "2020-12", "registration_date": "2021-03"}
    ]  # fmt: skip
    snapshot["work"]["duty_status"] = "当年毕业研究生"
    snapshot["educations"].append({"id": 99, "level": "硕士研究生", "school_name": "北京大学",
                                   "major_name": "内科学", "graduation_date": "2027-06"})  # fmt: skip
    registration.eligibility = {**registration.eligibility, "education_id": "99"}
    c = mapping.candidate_info(registration)
    assert (c.assistant_qualification_no, c.assistant_practice_no) == ("Q123", "P456")
    assert (c.education_level, c.school) == ("硕士研究生", "北京大学")
    assert c.postgraduate_graduation == "2027-06"
    assert dict(mapping.registration_info(registration).certificates[0])["证书编号"] == "Q123"


def test_shortline_subject_is_read_from_the_add_on():
    add_ons = [{"code": "shortline", "label": "短线医学专业加试（儿科）", "required": False}]
    assert mapping.shortline_subject(add_ons) == "儿科"
    assert mapping.shortline_subject([]) == ""


def test_id_number_falls_back_to_the_account_when_the_snapshot_has_none(registration):
    del registration.snapshot["basic"]["id_number_sealed"]
    assert mapping.id_number(registration) == registration.candidate.id_number


def test_mobile_is_sealed_in_the_snapshot_and_printed_in_full(registration):
    from django.db import connection

    from yikao.core import crypto

    mobile = registration.candidate.mobile
    basic = registration.snapshot["basic"]
    assert basic["mobile_masked"] == f"{mobile[:3]}****{mobile[-4:]}"  # lists keep the mask
    assert crypto.decrypt(basic["mobile_sealed"], purpose="snapshot.mobile") == mobile
    with connection.cursor() as cursor:
        cursor.execute("SELECT snapshot FROM registrations_registration")
        assert mobile not in str(cursor.fetchall())  # never in clear at rest
    assert mapping.mobile(registration) == mobile
    text = _pdf_text(registration, "registration_form")
    assert mobile in text and basic["mobile_masked"] not in text


@pytest.mark.parametrize("code", ["graduate_pledge", "postgraduate_pledge"])
def test_appendix_forms_print_the_full_mobile(registration, code):
    assert registration.candidate.mobile in _pdf_text(registration, code)


def test_old_snapshots_without_a_sealed_mobile_print_the_masked_one(registration):
    basic = registration.snapshot["basic"]
    del basic["mobile_sealed"]
    assert mapping.candidate_info(registration).phone == basic["mobile_masked"]
    basic["mobile_sealed"] = "k0$not-a-token"  # under a key no longer configured
    assert mapping.candidate_info(registration).phone == basic["mobile_masked"]


def test_the_form_shows_military_status_permit_and_add_ons_only_when_they_apply(registration):
    assert mapping.basic_extra(registration) == ()
    assert "本人身份" not in _pdf_text(registration, "registration_form")
    from yikao.core import crypto

    registration.snapshot["basic"].update(
        military="现役军人",
        hmt_permit_masked="H123****5678",
        hmt_permit_sealed=crypto.encrypt("H12345678", purpose="snapshot.hmt_permit"),
    )
    registration.add_ons = [
        {"code": "military", "label": "军事医学", "required": True},
        {"code": "shortline", "label": "短线医学专业加试（儿科）", "required": False},
    ]
    assert mapping.basic_extra(registration) == (
        ("本人身份", "现役军人"),
        ("往来大陆通行证号码", "H12345678"),
        ("加试", "军事医学、短线医学专业加试（儿科）"),
    )
    text = _pdf_text(registration, "registration_form")
    for expected in ("本人身份现役军人", "往来大陆通行证号码H12345678", "军事医学"):
        assert expected in text


def test_print_date_is_todays_date_in_beijing_not_on_the_servers_clock(registration, monkeypatch):
    import datetime as dt

    from django.utils import timezone

    # 02:30 in Beijing on 2 March is still 1 March in UTC (the servers' own clock).
    utc = dt.datetime(2027, 3, 1, 18, 30, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: utc)
    assert mapping.registration_info(registration).printed_on == dt.date(2027, 3, 2)
    assert "打印日期：2027年3月2日" in _pdf_text(registration, "registration_form")


def _pdf_text(registration, code: str) -> str:
    import io

    from pypdf import PdfReader

    from yikao.documents.pdf import render_forms

    candidate, exam, info = mapping.pdf_inputs(registration)
    pdf = render_forms([code], candidate=candidate, exam=exam, registration=info)
    return "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


# --- QR payload ---------------------------------------------------------------------------


def test_qr_url_carries_only_a_signed_id(registration):
    url = registration_qr_url(registration.pk, base_url="https://yikao.example.cn/")
    token = registration_qr_token(registration.pk)
    # The back office's scan view (review app) takes the token as the last path segment.
    assert url.startswith("https://yikao.example.cn/review/")
    assert url.endswith(f"/{token}/") and "//" not in url.removeprefix("https://")
    assert token.split(":")[0] == str(registration.pk)
    for personal in (registration.candidate.id_number, registration.candidate.full_name,
                     registration.candidate.mobile):  # fmt: skip
        assert personal not in url
    assert registration_from_qr(token) == registration.pk
    assert registration_from_qr(url) == registration.pk  # the scanner's whole URL


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: str(int(t.split(":")[0]) + 1) + ":" + t.split(":", 1)[1],  # another id
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # another signature
        lambda t: t.split(":")[0],  # no signature
        lambda t: "",
        lambda t: signing.Signer(salt="other").sign(t.split(":")[0]),  # another salt
        lambda t: signing.Signer(salt=SALT).sign("abc"),  # signed, but not an id
    ],
    ids=["id", "signature", "unsigned", "empty", "salt", "not-an-id"],
)
def test_tampered_qr_codes_are_refused(registration, tamper):
    with pytest.raises(InvalidQRCode):
        registration_from_qr(tamper(registration_qr_token(registration.pk)))


def test_qr_signature_depends_on_the_secret_key(registration, settings):
    token = registration_qr_token(registration.pk)
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    with pytest.raises(InvalidQRCode):
        registration_from_qr(token)


def test_two_registrations_of_one_site_map_independently():
    exam = make_exam()
    site = make_site(exam)
    a = make_registration(exam=exam, site=site, full_name="甲")
    b = make_registration(exam=exam, site=site, full_name="乙")
    assert mapping.candidate_info(a).name == "甲" and mapping.candidate_info(b).name == "乙"
    assert a.number != b.number
