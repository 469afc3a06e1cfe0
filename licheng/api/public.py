"""Public endpoints that need no login."""

from ninja import Router, Schema

from licheng.lib.roc import Term

router = Router(tags=["public"])


class TermOut(Schema):
    academic_year: int
    semester: int
    label: str


@router.get("/term", response=TermOut, auth=None, summary="目前學年度學期")
def current_term(request):
    term = Term.current()
    return {"academic_year": term.academic_year, "semester": term.semester, "label": term.label}
