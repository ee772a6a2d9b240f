"""Language choice: Bahasa Indonesia unless the user picked English."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class IndonesianFirstLocaleMiddleware(LocaleMiddleware):
    """Ignore the browser's Accept-Language: many officials' phones and browsers are set to
    English, yet the portal speaks Bahasa Indonesia until the user switches (language cookie)."""

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
