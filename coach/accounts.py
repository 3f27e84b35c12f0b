"""Logging in and changing a password, rate limited by django-axes (settings: ``AXES_*``).

- ``client_ip``: the address axes counts failures by. Behind ``TRUSTED_PROXIES`` reverse
  proxies it is the address the outermost proxy saw, read from ``X-Forwarded-For``; without
  proxies (the default) ``REMOTE_ADDR``, and the header, which anyone can send, is ignored.
- ``LoginForm``: a deactivated person who types the right password is told their account is
  inactive; a wrong password gets the usual answer, whether or not the account is active.
- ``account_tokens``: the set-password links' tokens: Django's reset token (it works once, and
  expires) bound also to the account's active state and ``User.security_stamp``, so a link
  made before a deactivation, or before a newer link, does not work.
- ``PasswordChangeForm``: the old password is checked through ``authenticate``, so a wrong one
  counts as a failed login for the account from this address and five of them lock it, like
  the login page.
"""

from __future__ import annotations

import ipaddress

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.http import HttpRequest

INACTIVE = ("This account has been deactivated. Ask your club’s admin to reactivate it if you "
            "are training with the club again.")


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. With ``TRUSTED_PROXIES = n``, each proxy appends the address it
    received the request from to ``X-Forwarded-For``, so the n-th entry from the right is the
    one the outermost proxy wrote: the client as the Internet sees it. Entries further left
    come from the client and are ignored. A header shorter than n, or an entry that is not an
    address, means the request did not come through the proxies: ``REMOTE_ADDR`` then."""
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    entries = [e for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if e.strip()]
    if len(entries) < proxies:
        return remote
    return _address(entries[-proxies]) or remote


class AccountTokenGenerator(PasswordResetTokenGenerator):
    def _make_hash_value(self, user, timestamp: int) -> str:
        stamp = getattr(user, "security_stamp", 0)
        return f"{super()._make_hash_value(user, timestamp)}|{user.is_active}|{stamp}"


account_tokens = AccountTokenGenerator()


class LoginForm(auth_forms.AuthenticationForm):
    error_messages = {**auth_forms.AuthenticationForm.error_messages, "inactive": INACTIVE}

    def clean(self) -> dict:
        try:
            return super().clean()
        except forms.ValidationError as error:
            if error.code == "invalid_login" and self._deactivated_with_right_password():
                raise forms.ValidationError(self.error_messages["inactive"],
                                            code="inactive") from None
            raise

    def _deactivated_with_right_password(self) -> bool:
        """Only for the right password (a wrong one says nothing about the account), and not
        while axes has locked the pair (the lockout page answers then)."""
        if getattr(self.request, "axes_locked_out", False):
            return False
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not username or not password:
            return False
        user = get_user_model()._default_manager.filter(username=username,
                                                        is_active=False).first()
        return user is not None and user.check_password(password)


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    def __init__(self, user, *args, request: HttpRequest, **kwargs) -> None:
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self) -> str:
        old_password = self.cleaned_data["old_password"]
        checked = authenticate(self.request, username=self.user.get_username(),
                               password=old_password)
        if checked is None or checked.pk != self.user.pk:
            raise forms.ValidationError(self.error_messages["password_incorrect"],
                                        code="password_incorrect")
        return old_password


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "request": self.request}
