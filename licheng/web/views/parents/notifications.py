"""Notifications (通知): the list, the bell, per-kind channel choice and the calendar feed."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from licheng.notifications.domain import feeds
from licheng.notifications.domain.notify import (
    mark_all_read,
    mark_read,
    preferences_of,
    set_preferences,
    unread_count,
)
from licheng.notifications.enums import Channel, NotificationKind
from licheng.notifications.models import CalendarFeed, Notification


@login_required
def notification_list(request):
    page = Paginator(Notification.objects.filter(recipient=request.user), 20).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "web/parents/notifications.html",
        {"page": page, "unread": unread_count(request.user)},
    )


@login_required
def notification_bell(request):
    """The bell's unread count, swapped in by htmx (every page loads it after the page)."""
    return render(request, "web/parents/bell.html", {"unread": unread_count(request.user)})


@login_required
@require_POST
def notification_read(request, pk: int):
    notification = Notification.objects.filter(pk=pk, recipient=request.user).first()
    if notification is None:
        raise Http404
    mark_read(notification)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect("web:notifications")


@login_required
@require_POST
def notifications_read_all(request):
    count = mark_all_read(request.user)
    messages.success(request, _("已將 %(n)s 則通知標為已讀。") % {"n": count})
    return redirect("web:notifications")


class PreferencesForm(forms.Form):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        current = preferences_of(user)
        for kind in NotificationKind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Channel.choices,
                initial=current[kind.value],
                widget=forms.RadioSelect,
            )


@login_required
def notification_settings(request):
    action = request.POST.get("action") if request.method == "POST" else None
    form = PreferencesForm(request.POST if action == "save" else None, user=request.user)
    feed_url = None
    if action:
        if action == "feed_create":
            token = feeds.create_feed(request.user)
            feed_url = request.build_absolute_uri(reverse("web:calendar_feed", args=[token]))
            messages.success(request, _("已建立新的行事曆訂閱網址；舊網址已停用。"))
        elif action == "feed_revoke":
            feeds.revoke_feed(request.user)
            messages.success(request, _("行事曆訂閱網址已停用。"))
            return redirect("web:notification_settings")
        elif action == "save" and form.is_valid():
            set_preferences(request.user, form.cleaned_data)
            messages.success(request, _("通知設定已儲存。"))
            return redirect("web:notification_settings")
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return render(
        request,
        "web/parents/notification_settings.html",
        {"form": form, "feed": feed, "feed_url": feed_url},
        status=400 if form.errors else 200,
    )


def calendar_feed(request, token: str):
    """The person's deadlines as iCalendar; the token is the only credential (revocable)."""
    user = feeds.user_for_token(token)
    if user is None:
        raise Http404
    response = HttpResponse(feeds.calendar_for(user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="licheng.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response
