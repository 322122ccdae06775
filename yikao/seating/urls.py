from django.urls import path  # noqa: F401 (the routes below are added by each part)

app_name = "seating"
urlpatterns = [
    # -- tickets (candidate)
    # -- staff: sessions, rooms, assignment, sheets
    # -- door check
]
