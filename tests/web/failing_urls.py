"""A URLconf with one view that fails, to see the 500 page as a visitor gets it."""

from django.urls import include, path


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom), path("", include("licheng.urls"))]
