"""The JSON API (/api/v1/), for phone and WeChat front ends and provincial systems."""

from ninja.security import SessionAuth

from yikao.api import me
from yikao.appointments.api import router as appointments_router
from yikao.core.api.errors import YikaoAPI
from yikao.eligibility_web.api import router as eligibility_router

# YikaoAPI answers django-ninja's own errors in Chinese and documents them (core/api/errors.py).
api = YikaoAPI(
    title="医考 Yikao API",
    version="1",
    description="考生服务系统接口。登录后以会话 Cookie 认证；写操作需附带 CSRF 令牌。",
    urls_namespace="api",
    auth=SessionAuth(),
    docs_url="/docs",
)

api.add_router("", me.router)
api.add_router("/eligibility", eligibility_router)
api.add_router("/directory", "yikao.directory.api.router")
api.add_router("/appointments", appointments_router)
api.add_router("/payments", "yikao.payments.api.router")
api.add_router("/tickets", "yikao.seating.api.router")
api.add_router("/door", "yikao.seating.door_api.router")
