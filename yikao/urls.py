from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite

from yikao.accounts.forms import AdminLoginForm
from yikao.api.api import api

# The admin asks for a one-time code too, like the staff back office; its login checks the
# password and the code in one step (a right password alone looks like a wrong one).
admin.site.__class__ = OTPAdminSite
admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("", include("yikao.portal.urls")),
    path("", include("yikao.core.urls")),
    path("accounts/", include("yikao.accounts.urls")),
    path("profile/", include("yikao.profiles.urls")),
    path("registrations/", include("yikao.registrations.urls")),
    path("photos/", include("yikao.photos.urls")),
    path("directory/", include("yikao.directory.urls")),
    path("eligibility/", include("yikao.eligibility_web.urls")),
    path("review/", include("yikao.review.urls")),
    path("documents/", include("yikao.documents.urls")),
    path("appointments/", include("yikao.appointments.urls")),
    path("messages/", include("yikao.inbox.urls")),
    path("payments/", include("yikao.payments.urls")),
    path("seating/", include("yikao.seating.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler404 = "yikao.core.errors.not_found"
handler500 = "yikao.core.errors.server_error"
