"""The feature areas of the web interface, each in its own module (urlpatterns, MENU, PANELS)."""

from . import admissions, central, evidence, ops, parents, records

AREAS = [records, evidence, parents, central, admissions, ops]
