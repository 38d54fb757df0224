from orchestra.views import (
    access_log,
    attendance,
    calendars,
    concerts,
    erasure,
    guardians,
    masterclasses,
    registration,
    tours,
)

app_name = "orchestra"

urlpatterns = [
    *registration.urlpatterns,
    *guardians.urlpatterns,
    *attendance.urlpatterns,
    *calendars.urlpatterns,
    *masterclasses.urlpatterns,
    *concerts.urlpatterns,
    *erasure.urlpatterns,
    *tours.urlpatterns,
    *access_log.urlpatterns,
]
