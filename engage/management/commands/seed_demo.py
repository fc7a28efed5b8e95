import secrets

from django.core.management.base import BaseCommand

from engage.demo import DEMO_EMAIL, seed_demo


class Command(BaseCommand):
    help = "Create the demo workspace and its owner login, unless they already exist."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="Password for the demo owner (default: random).")
        parser.add_argument(
            "--reset-password",
            action="store_true",
            help="Give an existing demo owner a new password.",
        )

    def handle(self, *args, password=None, reset_password=False, **options):
        password = password or secrets.token_urlsafe(9)
        workspace, owner, created = seed_demo(password)
        if not created and reset_password:
            owner.set_password(password)
            owner.save(update_fields=["password"])
        if created or reset_password:
            self.stdout.write(self.style.SUCCESS(f"Demo workspace “{workspace.name}” is ready."))
            self.stdout.write(f"  Log in as {DEMO_EMAIL} / {password}")
        else:
            self.stdout.write(f"Demo workspace “{workspace.name}” already exists.")
            self.stdout.write(
                f"  Log in as {DEMO_EMAIL} (password printed when it was created; "
                "run `manage.py seed_demo --reset-password` for a new one)."
            )
