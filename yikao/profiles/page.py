"""The 个人信息 page as one set of forms: built from the database, from a POST, or from
a draft kept while the candidate is away at the work-unit picker."""

from django.http import QueryDict

from yikao.accounts.models import Candidate
from yikao.profiles import lookups
from yikao.profiles.forms import ENTRY_FORMSETS, ContactForm, WorkForm
from yikao.profiles.selectors import entries_of, profile_of
from yikao.profiles.services import WORK_FIELDS, EntryChanges, ProfileSubmission

ENTRY_FIELDS = {
    "works": [
        "unit_name", "unit_kind", "post_category", "department", "start_date", "end_date",
        "assessed",
    ],
    "educations": [
        "level", "degree_type", "length_years", "study_form", "entry_date", "graduation_date",
        "school_name", "school_code", "major_name", "major_code", "major_direction",
        "program_filed", "upgrade", "overseas", "diploma_number",
    ],
    "trainings": ["kind", "base_name", "major_name", "start_date", "end_date", "certificate_number"],
    "certificates": [
        "cert_type", "issue_date", "number", "registration_date", "registration_number",
        "practice_category", "practice_scope",
    ],
}  # fmt: skip


SECTION_TITLES = {
    "works": "以往工作经历",
    "educations": "教育经历",
    "trainings": "培训经历",
    "certificates": "证书情况",
}


def entry_facts(group: str, entry) -> list[tuple[str, str]]:
    """A read-only entry's filled-in fields as (label, value), labelled as in the form."""
    form_class = ENTRY_FORMSETS[group][0].form
    facts = []
    for name in ENTRY_FIELDS[group]:
        field, value = form_class.base_fields[name], getattr(entry, name)
        if not field.widget.is_hidden and value not in ("", None):
            facts.append((field.label, {True: "是", False: "否"}.get(value, str(value))))
    return facts


def _with_missing_groups(data: QueryDict | None) -> QueryDict | None:
    """A page opened before a group existed posts no management form for it: read that
    as "no entries of this group", which leaves the stored ones as they are."""
    if data is None:
        return None
    missing = [
        prefix for _, prefix in ENTRY_FORMSETS.values() if f"{prefix}-TOTAL_FORMS" not in data
    ]
    if not missing:
        return data
    data = data.copy()
    for prefix in missing:
        data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = "0"
    return data


def work_unit_valid(form) -> bool:
    """A picked unit must be in the directory; a typed one needs its 机构类型."""
    resolved = lookups.resolve_work_unit(form.cleaned_data)
    if resolved is None:
        form.add_error("work_unit_name", "所选工作单位不存在，请重新选择。")
        return False
    if resolved.get("work_unit_name") and not resolved.get("work_unit_kind"):
        form.add_error("work_unit_kind", "名录外的单位请选择机构类型（报考资格按机构类型判断）。")
        return False
    return True


class ProfilePage:
    def __init__(self, candidate: Candidate, data: QueryDict | None = None, *, quiet: bool = False):
        self.candidate = candidate
        self.profile = profile_of(candidate)
        entries = entries_of(candidate)
        # Locked and verified entries are shown read-only and are never part of the forms.
        self.read_only = {
            group: [e for e in items if e.read_only] for group, items in entries.items()
        }
        editable = {
            group: [e for e in items if not e.read_only] for group, items in entries.items()
        }
        data = _with_missing_groups(data)
        self.contact = ContactForm(data, prefix="contact", initial=self._contact_initial())
        self.work = WorkForm(data, prefix="work", initial=self._work_initial())
        self.formsets = {}
        for group, (formset_class, prefix) in ENTRY_FORMSETS.items():
            initial = [
                {"id": e.pk, **{name: getattr(e, name) for name in ENTRY_FIELDS[group]}}
                for e in editable[group]
            ]
            formset = formset_class(data, prefix=prefix, initial=initial)
            formset.quiet = quiet
            self.formsets[group] = formset
        for form in (self.contact, self.work):
            form.quiet = quiet
        # 民族 sits in the 基本信息 card, outside the <form>: tie it to the form by its id.
        self.contact.fields["ethnicity"].widget.attrs["form"] = "profile-form"
        self.error = ""

    @property
    def sections(self) -> list[dict]:
        return [
            {"group": group, "title": title, "formset": self.formsets[group],
             "prefix": ENTRY_FORMSETS[group][1],
             "read_only": [{"entry": e, "facts": entry_facts(group, e)}
                           for e in self.read_only[group]]}
            for group, title in SECTION_TITLES.items()
        ]  # fmt: skip

    def _contact_initial(self) -> dict:
        return {
            "ethnicity": self.profile.ethnicity,
            "mobile": self.candidate.mobile,
            "email": self.candidate.email,
            "postal_address": self.profile.postal_address,
            "postcode": self.profile.postcode,
            "id_valid_until": self.profile.id_valid_until,
        }

    def _work_initial(self) -> dict:
        return {name: getattr(self.profile, name) for name in WORK_FIELDS}

    @staticmethod
    def with_added_entry(data: QueryDict, group: str) -> QueryDict:
        """The POST data with one more empty entry in `group` (the "+" button without JS)."""
        prefix = ENTRY_FORMSETS[group][1]
        data = data.copy()
        total = int(data.get(f"{prefix}-TOTAL_FORMS", "0") or 0)
        data[f"{prefix}-TOTAL_FORMS"] = str(min(total + 1, 10))
        return data

    @staticmethod
    def with_work_unit(data: QueryDict, code: str) -> QueryDict:
        data = data.copy()
        found = lookups.work_unit(code)
        if found:
            (
                data["work-work_unit_code"],
                data["work-work_unit_name"],
                data["work-work_unit_kind"],
            ) = found
        return data

    def is_valid(self) -> bool:
        forms_valid = self.contact.is_valid() & self.work.is_valid()
        for formset in self.formsets.values():
            forms_valid &= formset.is_valid()
        if forms_valid:
            return work_unit_valid(self.work)
        return forms_valid

    def submission(self) -> ProfileSubmission:
        work = lookups.resolve_work_unit(dict(self.work.cleaned_data))
        groups = {}
        for group, formset in self.formsets.items():
            changes = EntryChanges()
            for form in formset.forms:
                entry_id = form.cleaned_data.get("id")
                if form in formset.deleted_forms:
                    if entry_id:
                        changes.delete.append(entry_id)
                    continue
                if not form.has_changed() and not entry_id:
                    continue  # an extra entry left blank
                values = {name: form.cleaned_data.get(name, "") for name in ENTRY_FIELDS[group]}
                values["id"] = entry_id
                changes.save.append(values)
            groups[group] = changes
        contact = {name: self.contact.cleaned_data[name] for name in ContactForm.base_fields}
        return ProfileSubmission(contact=contact, work=work, **groups)
