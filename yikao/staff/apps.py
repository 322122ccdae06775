from django.apps import AppConfig


class StaffConfig(AppConfig):
    """Who a staff login is and what it may reach: the scope row and the door
    (staff_required). Below the back office (review) and the collection days
    (appointments), which both use it."""

    name = "yikao.staff"
    label = "staff"
    verbose_name = "工作人员"
