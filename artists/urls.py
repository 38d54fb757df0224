from artists.views import applications, directory, jury, profiles, staff, studios

app_name = "artists"

urlpatterns = [
    *profiles.urlpatterns,
    *applications.urlpatterns,
    *jury.urlpatterns,
    *staff.urlpatterns,
    *directory.urlpatterns,
    *studios.urlpatterns,
]
