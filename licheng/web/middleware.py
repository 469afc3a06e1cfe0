"""Request id, security headers and the first-login gate."""

from __future__ import annotations

import logging
import re
import uuid

from django.shortcuts import redirect
from django.urls import resolve

from licheng.audit.context import RequestContext, current

REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Give every request an id (kept from a load balancer's X-Request-ID if sane) and its address,
    for the logs and the audit entries written while it runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = current.set(
            RequestContext(ip=request.META.get("REMOTE_ADDR"), request_id=request_id)
        )
        try:
            response = self.get_response(request)
        finally:
            current.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        # Django logs "Not Found"/"Internal Server Error" after the middleware chain has returned
        # (our context is reset by then), but it passes the request along: take the id from it.
        request = getattr(record, "request", None)
        record.request_id = current.get().request_id or getattr(request, "request_id", "") or "-"
        return True


# No inline script or style anywhere, so the policy needs no 'unsafe-inline'.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self' blob:; object-src 'none'; frame-src 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; form-action 'self'"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


# Pages a person may open before finishing first-login set-up.
SETUP_EXEMPT = {
    "web:password_change",
    "web:verify_email_start",
    "web:verify_email",
    "web:logout",
    "web:set_language",
    "web:login",
}


class AccountSetupMiddleware:
    """R31: at first login the user must set a new password, then verify an e-mail address,
    before using anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            # The flags first: resolving the path again costs every request, and only the few
            # people in the middle of first-login set-up need it.
            and (user.must_change_password or user.needs_email_verification)
            and not request.path.startswith(
                ("/static/", "/favicon.ico", "/api/", "/healthz", "/readyz", "/metrics")
            )
        ):
            try:
                name = resolve(request.path_info).view_name
            except Exception:
                name = ""
            if name not in SETUP_EXEMPT:
                if user.must_change_password:
                    return redirect("web:password_change")
                if user.needs_email_verification:
                    return redirect("web:verify_email_start")
        return self.get_response(request)


class LanguageMiddleware:
    """zh-Hant for everyone unless they chose English with the switch (kept in a cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language; a Taiwanese public
    service shows Traditional Chinese first, whatever the browser was set up with.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation
        from django.utils.cache import patch_vary_headers

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        codes = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in codes else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # override, not activate: the thread's language is restored afterwards, so one request's
        # English never leaks into the next request (or test) served by the same thread.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response
