from django.conf import settings
from django.utils import translation


class LanguageMiddleware:
    """Activate the language the visitor chose with the switch, else Norwegian.

    Unlike Django's LocaleMiddleware this ignores Accept-Language: the site is
    Norwegian by default and English only when the visitor asks for it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # override() puts back the language that was active before, where deactivate()
        # would leave the default active for whatever runs after the request.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers.setdefault("Vary", "Cookie")
        return response
