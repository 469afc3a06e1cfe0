from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

# Browsers ask for /favicon.ico whatever the page links to. A temporary redirect to the static
# file: its name is hashed in production, and resolving it per request (lazy) reads the manifest
# only once it exists.
favicon = RedirectView.as_view(url=lazy(static, str)("licheng/favicon.ico"), permanent=False)

urlpatterns = [
    path("favicon.ico", favicon),
    path("api/v1/", include("licheng.api.urls")),
    path("", include("licheng.web.urls")),
]
