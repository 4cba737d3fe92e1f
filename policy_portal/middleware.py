"""Chinese first: pages are in 简体中文 unless the visitor picks another language with the switch."""
from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """LocaleMiddleware whose pages ignore the browser's Accept-Language.

    A page's language is the one chosen with the language switch (the cookie that
    set_language writes), else LANGUAGE_CODE. The API under /api/ keeps Django's
    usual negotiation, Accept-Language included.
    """

    def process_request(self, request):
        if request.path_info.startswith("/api/"):
            return super().process_request(request)
        language = settings.LANGUAGE_CODE
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen:
            try:
                language = translation.get_supported_language_variant(chosen)
            except LookupError:
                pass
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
