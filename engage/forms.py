from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm

from engage.models import Invitation, Job, Membership, Persona, Segment, User, Workspace
from engage.roles import ROLE_DESCRIPTIONS, Role
from engage.selectors import next_avatar_colour
from engage.services.people import PERSONA_FIELDS


class EmailLoginForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )


class SignUpForm(forms.Form):
    name = forms.CharField(max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this email exists: log in instead.")
        return email

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password"):
            candidate = User(email=cleaned.get("email", ""), name=cleaned.get("name", ""))
            try:
                password_validation.validate_password(cleaned["password"], candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class WorkspaceForm(forms.ModelForm):
    class Meta:
        model = Workspace
        fields = ["name", "customer_organisation", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class SegmentForm(forms.ModelForm):
    class Meta:
        model = Segment
        fields = ["name", "offering", "industry", "region", "organisation_size"]

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.workspace = workspace

    def clean_name(self):
        # `workspace` is not a form field, so Django skips the unique (workspace, name) check.
        name = self.cleaned_data["name"]
        others = Segment.objects.in_workspace(self.instance.workspace).exclude(pk=self.instance.pk)
        if others.filter(name=name).exists():
            raise forms.ValidationError("This workspace already has a segment with this name.")
        return name


class PersonaForm(forms.ModelForm):
    class Meta:
        model = Persona
        fields = list(PERSONA_FIELDS)
        widgets = {
            "scenario": forms.Textarea(attrs={"rows": 2}),
            "expectations": forms.Textarea(attrs={"rows": 3}),
            "personal_story": forms.Textarea(attrs={"rows": 5}),
            "avatar_image": forms.ClearableFileInput(
                attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"}
            ),
        }

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.workspace = workspace
        self.fields["segment"].queryset = Segment.objects.in_workspace(workspace)
        if not self.instance.pk:
            self.initial.setdefault("avatar_colour", next_avatar_colour(workspace))
        self.fields["age"].widget.attrs.update(min=0, max=120)


class JobForm(forms.ModelForm):
    class Meta:
        model = Job
        fields = ["verb", "object", "context", "kind", "personas", "parent"]
        widgets = {"personas": forms.CheckboxSelectMultiple}

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.workspace = workspace
        self.fields["personas"].queryset = Persona.objects.in_workspace(workspace)
        parents = Job.objects.in_workspace(workspace)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].label = "Part of a bigger job"
        for name, placeholder in (
            ("verb", "Onboard"),
            ("object", "new hires"),
            ("context", "in their first week"),
        ):
            self.fields[name].widget.attrs["placeholder"] = placeholder


class InvitationForm(forms.ModelForm):
    valid_for_days = forms.IntegerField(
        min_value=1, max_value=90, initial=14, label="Valid for (days)"
    )

    class Meta:
        model = Invitation
        fields = ["role", "email", "single_use"]
        labels = {"single_use": "Single use (one person only)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].help_text = " ".join(
            f"{Role(role).label}: {text}" for role, text in ROLE_DESCRIPTIONS.items()
        )


class MembershipRoleForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role"]


class PersonaQuickForm(forms.ModelForm):
    """The inline 'add a persona' row on the persona list."""

    class Meta:
        model = Persona
        fields = ["name", "role"]
        widgets = {"name": forms.TextInput(attrs={"placeholder": "e.g. Priya, the new IT admin"})}


class JobQuickForm(forms.ModelForm):
    """The inline 'add a job' row on the job list."""

    class Meta:
        model = Job
        fields = ["verb", "object", "context", "kind"]
        widgets = {
            "verb": forms.TextInput(attrs={"placeholder": "Onboard"}),
            "object": forms.TextInput(attrs={"placeholder": "new hires"}),
            "context": forms.TextInput(attrs={"placeholder": "in their first week"}),
        }


class WorkspaceImportForm(forms.Form):
    file = forms.FileField(
        label="Export file",
        help_text="A ZIP file exported from Engage (workspace settings → Export).",
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )
    name = forms.CharField(
        label="Name of the new workspace",
        max_length=120,
        required=False,
        help_text="Leave empty to keep the exported workspace's name.",
    )
