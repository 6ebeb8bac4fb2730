from django.urls import include, path

urlpatterns = [
    path("", include("pages.urls")),
]

# The 500 page in the service's layout, with a plain-text fallback (Django reads it here, in the root URLconf).
handler500 = "pages.views.server_error"
