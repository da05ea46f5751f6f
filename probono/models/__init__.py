from .case_studies import CaseStudy, CaseStudyConsent
from .projects import Evaluation, Milestone, ProgressNote, ProjectMessage, WorkLog
from .proposals import Interest, Proposal
from .requests import RequestEvent, RequestState, SupportRequest
from .skills import Skill
from .workers import ProbonoWorker, WorkerSkill, WorkMode

__all__ = [
    "CaseStudy",
    "CaseStudyConsent",
    "Evaluation",
    "Interest",
    "Milestone",
    "ProbonoWorker",
    "ProgressNote",
    "ProjectMessage",
    "Proposal",
    "RequestEvent",
    "RequestState",
    "Skill",
    "SupportRequest",
    "WorkLog",
    "WorkMode",
    "WorkerSkill",
]
