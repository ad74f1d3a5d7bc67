"""Make a personal API token for a person from the command line (for automation set up
by an administrator); prints the key, which is shown nowhere else."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from meridian.accounts.models import User
from meridian.api.models import Lifetime
from meridian.api.tokens import token_create


class Command(BaseCommand):
    help = "Create a personal API token for the person with this email; prints its key once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", default="Command line", help="what the token is for")
        parser.add_argument("--days", type=int, choices=Lifetime.values, default=Lifetime.QUARTER)

    def handle(self, *args: Any, email: str, name: str, days: int, **options: Any) -> None:
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise CommandError(f"No active person with the email {email}.")
        token, key = token_create(user=user, name=name, days=days)
        self.stdout.write(key)
        self.stderr.write(f"Token {token.prefix}… for {user.email}, expires {token.expires_at:%Y-%m-%d}.")
