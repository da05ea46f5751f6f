from .requests import RequestEvent, RequestState, SupportRequest
from .skills import Skill
from .workers import ProbonoWorker, WorkerSkill, WorkMode

__all__ = [
    "ProbonoWorker",
    "RequestEvent",
    "RequestState",
    "Skill",
    "SupportRequest",
    "WorkMode",
    "WorkerSkill",
]
