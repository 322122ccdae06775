from django.urls import path

from yikao.appointments import staff, views

app_name = "appointments"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:registration_id>/", views.book, name="book"),
    path("<int:registration_id>/days/<str:date>/", views.day, name="day"),
    path("<int:registration_id>/slots/<int:slot_id>/", views.confirm, name="confirm"),
    path("<int:registration_id>/cancel/", views.cancel, name="cancel"),
    path("staff/", staff.home, name="staff_home"),
    path("staff/sites/<int:site_id>/", staff.site_overview, name="staff_site"),
    path("staff/sites/<int:site_id>/slots/new/", staff.slots_new, name="staff_slots_new"),
    path("staff/sites/<int:site_id>/check-in/", staff.check_in, name="staff_check_in"),
    path("staff/sites/<int:site_id>/days/<str:date>/", staff.roster, name="staff_roster"),
    path(
        "staff/sites/<int:site_id>/days/<str:date>/roster.xlsx",
        staff.roster_export,
        name="staff_roster_export",
    ),
    path("staff/slots/<int:slot_id>/", staff.slot_edit, name="staff_slot_edit"),
    path("staff/bookings/<int:booking_id>/no-show/", staff.no_show, name="staff_no_show"),
]
