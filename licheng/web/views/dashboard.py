"""Each role's landing page (首頁): what to do next, with the open windows and days left.

A dashboard is a list of panels; each feature adds the panel for its roles in ``web/panels.py``.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ..panels import panels_for


@login_required
def dashboard(request):
    return render(request, "web/dashboard.html", {"panels": panels_for(request.user)})
