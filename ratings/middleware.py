import ipaddress

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Vietnamese unless the user chose another language, whatever the browser asks for.

    The staff's browsers are often set to English; the department works in Vietnamese.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = dict(settings.LANGUAGES)
        translation.activate(chosen if chosen in supported else settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()


def proxied_client_address(request):
    """The client's address behind the TLS proxy, for login throttling (AXES_CLIENT_IP_CALLABLE).

    Every request arrives from the proxy, so REMOTE_ADDR alone would lock a username for everyone
    at once. The proxy writes the address it accepted the connection from into X-Real-IP, replacing
    any header of that name the client sent; the header is believed only when the connection comes
    from one of TRUSTED_PROXIES, so whoever reaches the application server directly is counted by
    their own address and cannot pick a fresh one for every guess.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_REAL_IP", "").strip()
    if forwarded and _is_trusted_proxy(remote) and _is_address(forwarded):
        return forwarded
    return remote


def _is_address(text):
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _is_trusted_proxy(address):
    try:
        address = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(proxy, strict=False) for proxy in settings.TRUSTED_PROXIES)
