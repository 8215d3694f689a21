"""Links a person makes to show their doctor report to a clinician, without an account.

Only a hash of each link's secret is kept: the link itself is shown to its owner once,
and a link is found by the hash alone, so no secret is ever compared character by
character.
"""

import hashlib
import re
import secrets
from datetime import date, datetime, timedelta

from django.db import models
from django.utils import timezone

from accounts.models import User

# secrets.token_urlsafe(32): 43 characters of the URL-safe base64 alphabet.
TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ShareLinkQuerySet(models.QuerySet["ShareLink"]):
    def for_user(self, user: User) -> "ShareLinkQuerySet":
        return self.filter(user=user)

    def usable(self, now: datetime) -> "ShareLinkQuerySet":
        """Links that open: not revoked, not expired, their account still open."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)

    def find(self, token: str) -> "ShareLink | None":
        """The usable link `token` opens, or None for any other token."""
        if not TOKEN.fullmatch(token):
            return None
        links = self.usable(timezone.now()).select_related("user")
        return links.filter(token_hash=hash_token(token)).first()

    def make(self, user: User, *, days: int, start: date, end: date) -> tuple["ShareLink", str]:
        """A new link for `days` days to the report for `start`..`end`, and its token."""
        token = secrets.token_urlsafe(32)
        link = self.create(
            user=user,
            token_hash=hash_token(token),
            expires_at=timezone.now() + timedelta(days=days),
            report_from=start,
            report_to=end,
        )
        return link, token


class ShareLink(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="share_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_opened_at = models.DateTimeField(null=True, blank=True)
    report_from = models.DateField()
    report_to = models.DateField()

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Share link made {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def has_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and not self.has_expired

    def revoke(self) -> None:
        """Stop the link working; the first time it was revoked is kept."""
        ShareLink.objects.filter(pk=self.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )

    def opened(self) -> None:
        ShareLink.objects.filter(pk=self.pk).update(last_opened_at=timezone.now())
