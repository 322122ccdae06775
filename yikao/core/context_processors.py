from django.urls import NoReverseMatch, reverse

CANDIDATE_NAVIGATION = [
    ("portal:home", "首页"),
    ("profiles:index", "个人信息"),
    ("registrations:index", "考试报名"),
    ("inbox:index", "消息"),
    ("accounts:security", "安全设置"),
]
STAFF_NAVIGATION = [
    ("review:queue", "审核队列"),
    ("review:dashboard", "统计"),
    ("appointments:staff_home", "预约采集"),
    ("review:audit", "操作日志"),
]


def navigation(request):
    """The candidate menu, or the staff menu for a staff login without candidate data."""
    user = getattr(request, "user", None)
    staff = user is not None and user.is_authenticated and user.is_staff
    entries = STAFF_NAVIGATION if staff and not hasattr(user, "candidate") else CANDIDATE_NAVIGATION
    items = []
    path = request.path
    for name, label in entries:
        try:
            url = reverse(name)
        except NoReverseMatch:  # an app not installed keeps its menu entry out
            continue
        current = path == url if url in ("/", "/review/") else path.startswith(url)
        items.append({"url": url, "label": label, "current": current})
    return {"nav_items": items}
