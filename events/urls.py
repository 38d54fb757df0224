from django.urls import path

from events import feeds, views

app_name = "events"

urlpatterns = [
    path("", views.home, name="home"),
    path("programmes/<slug:slug>/", views.programme_detail, name="programme_detail"),
    path("events/", views.event_list, name="event_list"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>.ics", feeds.event_ics, name="event_ics"),
    path("venues/<int:pk>/", views.venue_detail, name="venue_detail"),
    path("embed/programmes/<slug:slug>/", views.programme_embed, name="programme_embed"),
    path("embed/venues/<int:pk>/", views.venue_embed, name="venue_embed"),
    path("stab/arsrapport/", views.annual_report_page, name="annual_report"),
    path("stab/arrangementer/<int:pk>/endre/", views.change_event_page, name="change_event"),
    path("stab/arsrapport/<int:year>/", views.annual_report_page, name="annual_report_year"),
    path("calendar/<slug:slug>.ics", feeds.programme_feed, name="programme_feed"),
    path("calendar/venue/<int:pk>.ics", feeds.venue_feed, name="venue_feed"),
]
