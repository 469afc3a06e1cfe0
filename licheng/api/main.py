"""The API object; each area registers its router here."""

from ninja import NinjaAPI, Swagger

from . import admissions, central, organizers, public, records

api = NinjaAPI(
    title="Licheng 歷程 API",
    version="1",
    description="學習歷程平臺的系統間介面：主辦機構匯入、學校提交中央資料庫、招生單位接收。",
    urls_namespace="api",
    # Without deep links Swagger draws no link inside each operation's button: nested controls
    # fail WCAG (axe: nested-interactive).
    docs=Swagger(settings={"deepLinking": False}),
)
api.add_router("/", public.router)
api.add_router("/", records.router)
api.add_router("/", organizers.router)
api.add_router("/", central.router)
api.add_router("/", admissions.router)
