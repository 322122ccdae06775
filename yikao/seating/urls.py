from django.urls import path

from yikao.seating import door_views, staff_rooms, staff_runs, ticket_views

app_name = "seating"
urlpatterns = [
    # -- tickets (candidate)
    path("tickets/<int:registration_id>/", ticket_views.ticket_page, name="tickets"),
    path(
        "tickets/<int:registration_id>/<slug:part>.pdf", ticket_views.ticket_pdf, name="ticket_pdf"
    ),
    path(
        "staff/sites/<int:site_id>/<slug:part>/tickets.pdf",
        ticket_views.site_tickets_pdf,
        name="staff_site_tickets",
    ),
    # -- staff: sessions, rooms, assignment, sheets
    path("staff/", staff_rooms.sites, name="staff_sites"),
    path("staff/site/<int:site_id>/", staff_rooms.site_page, name="staff_site"),
    path("staff/site/<int:site_id>/rooms/add/", staff_rooms.room_add, name="staff_room_add"),
    path("staff/rooms/<int:room_id>/", staff_rooms.room_edit, name="staff_room_edit"),
    path("staff/rooms/<int:room_id>/active/", staff_rooms.room_active, name="staff_room_active"),
    path(
        "staff/site/<int:site_id>/sessions/add/", staff_rooms.session_add, name="staff_session_add"
    ),
    path("staff/sessions/<int:session_id>/", staff_rooms.session_edit, name="staff_session_edit"),
    path("staff/site/<int:site_id>/access/", staff_rooms.access_add, name="staff_access_add"),
    path(
        "staff/access/<int:need_id>/remove/", staff_rooms.access_remove, name="staff_access_remove"
    ),
    path("staff/site/<int:site_id>/assign/<slug:part>/", staff_runs.assign, name="staff_assign"),
    path("staff/runs/<int:run_id>/", staff_runs.run_page, name="staff_run"),
    # -- door check
    path("door/", door_views.door_page, name="door"),
    path("door/choose", door_views.door_choose, name="door_choose"),
    path("door/check", door_views.door_check, name="door_check"),
    path("door/seats/<int:seat_id>/photo.jpg", door_views.door_photo, name="door_photo"),
]
