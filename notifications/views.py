"""The inbox (消息中心): a user's notifications, newest first, and which kinds they get by email."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .kinds import kind_of
from .selectors import inbox, preferences
from .services import notifications_mark_read, preference_set

PAGE_SIZE = 20


@login_required
def inbox_page(request):
    unread = request.GET.get("unread") == "1"
    page = Paginator(inbox(request.user, unread=unread), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"notification": n, "title": kind_of(n.kind).render("title", n.params),
             "body": kind_of(n.kind).render("body", n.params)} for n in page]
    return render(request, "notifications/inbox.html", {"page": page, "rows": rows, "unread": unread})


@login_required
@require_POST
def notification_open(request, pk: int):
    """Mark one notification read and go where it points."""
    notification = inbox(request.user).filter(pk=pk).first()
    if notification is None:
        raise Http404
    notifications_mark_read(actor=request.user, ids=[pk])
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    count = notifications_mark_read(actor=request.user)
    messages.success(request, _("%(count)s notifications marked read.") % {"count": count})
    return redirect("notifications:inbox")


@login_required
def preferences_page(request):
    rows = preferences(request.user)
    if request.method == "POST":
        chosen = set(request.POST.getlist("email"))
        for row in rows:
            preference_set(actor=request.user, kind=row["kind"], email=row["kind"] in chosen)
        messages.success(request, _("Your email preferences are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"rows": rows})
