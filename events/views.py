from django.http import HttpResponse


def home(request, **kwargs):
    return HttpResponse(status=501)


programme_detail = event_list = event_detail = venue_detail = home
