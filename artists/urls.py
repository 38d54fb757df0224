from artists.views import (
    applications,
    catalogue,
    directory,
    jury,
    profiles,
    staff,
    statistics,
    studios,
    tallies,
    visits,
)

app_name = "artists"

urlpatterns = [
    *profiles.urlpatterns,
    *applications.urlpatterns,
    *jury.urlpatterns,
    *staff.urlpatterns,
    *directory.urlpatterns,
    *studios.urlpatterns,
    *catalogue.urlpatterns,
    *visits.urlpatterns,
    *tallies.urlpatterns,
    *statistics.urlpatterns,
]
