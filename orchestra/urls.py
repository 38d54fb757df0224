from orchestra.views import attendance, calendars, guardians, registration, tours

app_name = "orchestra"

urlpatterns = [
    *registration.urlpatterns,
    *guardians.urlpatterns,
    *attendance.urlpatterns,
    *calendars.urlpatterns,
    *tours.urlpatterns,
]
