"""What every form builder receives."""

from __future__ import annotations

from dataclasses import dataclass

from ..inputs import CandidateInfo, ExamInfo, RegistrationInfo
from ..layout import Styles, styles


@dataclass(frozen=True)
class Ctx:
    candidate: CandidateInfo
    exam: ExamInfo
    registration: RegistrationInfo | None
    st: Styles

    @classmethod
    def of(cls, candidate, exam, registration) -> Ctx:
        return cls(candidate, exam, registration, styles())

    @property
    def category(self) -> str:
        """ "临床执业医师（110）": the category applied for, with its code."""
        r, c = self.registration, self.candidate
        label = (r.category if r else "") or c.category
        code = (r.category_code if r else "") or c.category_code
        if label and code:
            return f"{label}（{code}）"
        return label or code

    @property
    def category_narrow(self) -> str:
        """The same, with the code on its own line (for a narrow cell)."""
        return self.category.replace("（", "\n（", 1)

    @property
    def site(self) -> str:
        return self.registration.exam_site if self.registration else ""

    def fmt(self, template: str) -> str:
        return template.format(year=self.exam.year, site=self.site)
