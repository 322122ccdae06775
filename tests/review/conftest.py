"""Two sites in 河南 (41), one in 湖北 (42), and staff of each kind."""

import pytest
from factories import make_exam, make_site
from review_helpers import make_registration, make_staff

from yikao.exams.models import ExamArea, ExamSite, SiteCapacity


@pytest.fixture
def exam(db):
    return make_exam()


@pytest.fixture
def site_a(exam):
    return make_site(exam, code="4101", capacity=500)


@pytest.fixture
def site_b(exam):
    return make_site(exam, code="4102", capacity=500)


@pytest.fixture
def site_c(exam):
    area = ExamArea.objects.create(code="42", name="湖北考区")
    site = ExamSite.objects.create(area=area, code="4201", name="武汉考点")
    SiteCapacity.objects.create(exam=exam, site=site, capacity=100)
    return site


@pytest.fixture
def staff_a(site_a):
    return make_staff("kaodian_a", "site", site=site_a)


@pytest.fixture
def staff_b(site_b):
    return make_staff("kaodian_b", "site", site=site_b)


@pytest.fixture
def area41(site_a):
    return make_staff("kaoqu_41", "area", area=site_a.area)


@pytest.fixture
def area42(site_c):
    return make_staff("kaoqu_42", "area", area=site_c.area)


@pytest.fixture
def national(db):
    return make_staff("guojia", "national", full_id_export=True)


@pytest.fixture
def reg_a(exam, site_a):
    return make_registration(exam, site_a)
