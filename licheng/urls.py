from django.urls import include, path

urlpatterns = [
    path("api/v1/", include("licheng.api.urls")),
    path("", include("licheng.web.urls")),
]
