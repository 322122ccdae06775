from django.urls import path

from yikao.payments import staff, staff_counter, staff_fees, staff_money, views

app_name = "payments"
urlpatterns = [
    # The candidate's pages and the platform's two calls.
    path("<int:registration_id>/", views.pay, name="pay"),
    path("<int:registration_id>/start/", views.start, name="start"),
    path("return/", views.returned, name="return"),
    path("notify/", views.notify, name="notify"),
    # The back office (staff): fee schedule, counter payments, reconciliation, refunds, totals.
    path("staff/", staff.home, name="staff_home"),
    path("staff/fees/", staff_fees.fees, name="staff_fees"),
    path("staff/counter/", staff_counter.counter, name="staff_counter"),
    path("staff/counter/<int:registration_id>/pay/", staff_counter.counter_pay, name="staff_counter_pay"),
    path("staff/statements/", staff_money.statements, name="staff_statements"),
    path("staff/mismatches/<int:mismatch_id>/settle/", staff_money.mismatch_settle, name="staff_mismatch_settle"),
    path("staff/refunds/", staff_money.refunds, name="staff_refunds"),
    path("staff/refunds/<int:refund_id>/done/", staff_money.refund_done, name="staff_refund_done"),
    path("staff/totals/", staff_money.totals, name="staff_totals"),
    path("staff/totals/export/", staff_money.totals_export, name="staff_totals_export"),
]  # fmt: skip
