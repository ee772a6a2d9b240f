"""Request-wide rules: the language (Bahasa Indonesia unless the user picked English), no control
characters in what a request sends, and compressed text responses."""

from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import Http404
from django.middleware.gzip import GZipMiddleware
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation

from percontohan.text import has_forbidden_characters


class IndonesianFirstLocaleMiddleware(LocaleMiddleware):
    """Ignore the browser's Accept-Language: many officials' phones and browsers are set to
    English, yet the portal speaks Bahasa Indonesia until the user switches (language cookie)."""

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


# Compressed besides text/* (pages, htmx fragments, CSV exports).
COMPRESSIBLE_TYPES = {"application/json", "application/geo+json", "application/javascript", "image/svg+xml"}


class CompressTextMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, with its BREACH mitigation (random bytes in each gzip header), for text only.

    Pages, JSON and GeoJSON shrink five- to tenfold, which counts on a slow rural connection, and a
    streamed CSV stays streamed (compressed chunk by chunk). XLSX, PDF and image downloads are compressed
    already: gzipping them again would cost CPU for nothing. Static files never get here: whitenoise,
    above this middleware, answers them from its precompressed copies.
    """

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").partition(";")[0].strip().lower()
        if not (content_type.startswith("text/") or content_type in COMPRESSIBLE_TYPES):
            return response
        return super().process_response(request, response)


class RefuseControlCharactersMiddleware:
    """No request carrying NUL, another control character or bytes that are not UTF-8 reaches a view.

    PostgreSQL cannot hold NUL, so such a value reaching a lookup (a region code in the path, a search,
    a filter) would fail as a server error; no link or form of the portal sends one. A path with one
    names no page (404); a query string or a form field *name* with one, or not in UTF-8, is a bad
    request (400, a page that says so). Form field *values* go on to the forms, which strip invisible
    characters and answer a NUL with a field error beside the field (percontohan.forms).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_forbidden_characters(request.path_info):
            raise Http404
        if not _is_clean_query(request.META.get("QUERY_STRING", "")) or (
            request.method == "POST" and any(has_forbidden_characters(key) for key in request.POST)
        ):
            return render(request, "400.html", status=400)
        return self.get_response(request)


def _is_clean_query(query_string):
    """Whether the query string, once percent-decoded, is UTF-8 text without control characters."""
    try:
        # WSGI hands the raw bytes over as Latin-1 text (PEP 3333).
        raw = query_string.encode("iso-8859-1")
    except UnicodeEncodeError:
        raw = query_string.encode()
    try:
        text = unquote_to_bytes(raw.replace(b"+", b" ")).decode()
    except UnicodeDecodeError:
        return False
    return not has_forbidden_characters(text)
