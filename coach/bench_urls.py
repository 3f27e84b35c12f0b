"""The URLs ``manage.py bench`` measures against: the app's own, plus a bare page.

The bare page goes through the same middleware with a signed-in user and renders a trivial
template, so each page's time divided by its time says what the page itself costs. Only the
bench serves it (``override_settings(ROOT_URLCONF="coach.bench_urls")``): it is no URL of
the site.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from coach.access import login_required
from coach.urls import urlpatterns as site_urlpatterns


@login_required
def bare(request: HttpRequest) -> HttpResponse:
    return render(request, "bench/bare.html")


urlpatterns = [path("__bench__/bare/", bare, name="bench-bare"), *site_urlpatterns]
