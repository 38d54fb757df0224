from django.http import HttpResponse


def event_ics(request, pk):
    return HttpResponse(status=501)


programme_feed = venue_feed = event_ics
