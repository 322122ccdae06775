"""Helpers of the payment back-office tests: two provinces, three sites, an approved
registration with fees at each, and a staff login per role."""

from dataclasses import dataclass

from factories import make_site
from payment_helpers import approve, fee_schedule
from review_helpers import make_registration, make_staff, staff_login


@dataclass
class World:
    exam: object
    site_a: object  # 河南 (41)
    site_b: object  # 河南 (41), another site
    site_c: object  # 湖北 (42)
    reg_a: object
    reg_b: object
    reg_c: object


def other_area_site(exam, *, code="4201"):
    from yikao.exams.models import ExamArea, ExamSite, SiteCapacity

    area, _ = ExamArea.objects.get_or_create(code="42", defaults={"name": "湖北考区"})
    site = ExamSite.objects.create(area=area, code=code, name="武汉考点")
    SiteCapacity.objects.create(exam=exam, site=site, capacity=100)
    return site


def make_world(exam, site_a) -> World:
    """site_a (the fixture's 4101) and 4102 in 河南, 4201 in 湖北; each with an approved
    registration; 河南 charges 300元 skills + 240元 综合 (physician), 湖北 200元 + 240元."""
    site_b = make_site(exam, code="4102")
    site_c = other_area_site(exam)
    fee_schedule(exam, site_a.area, skills=30000)
    fee_schedule(exam, site_c.area, skills=20000)
    regs = [approve(make_registration(exam, site)) for site in (site_a, site_b, site_c)]
    return World(exam, site_a, site_b, site_c, *regs)


def staff_client(client_class, username, role, **where):
    """A logged-in, verified staff client of its own (several roles in one test)."""
    user = make_staff(username, role, **where)
    return staff_login(client_class(), user), user
