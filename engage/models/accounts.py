from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """People sign in with their email; the username mirrors it."""

    name = models.CharField("full name", max_length=150, blank=True)
    email = models.EmailField("email address", unique=True)

    class Meta:
        ordering = ["name", "email"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or self.email or self.username
