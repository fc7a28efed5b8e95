from django.db import models


class WorkspaceScopedQuerySet(models.QuerySet):
    """Rows that belong to one workspace; reads go through `visible_to`."""

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(workspace__memberships__user=user)

    def in_workspace(self, workspace):
        return self.filter(workspace=workspace)
