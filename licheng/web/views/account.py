"""A person's own account page (帳號設定): roles, e-mail, language, password."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def account(request):
    return render(request, "web/account.html", {"assignments": request.user.role_assignments})
