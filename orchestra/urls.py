from orchestra.views import attendance, calendars, guardians, registration

app_name = "orchestra"

urlpatterns = [
    *registration.urlpatterns,
    *guardians.urlpatterns,
    *attendance.urlpatterns,
    *calendars.urlpatterns,
]
