from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.audit_hits import AuditHits
  from ..models.job_hits import JobHits
  from ..models.user_hits import UserHits





T = TypeVar("T", bound="SearchResults")



@_attrs_define
class SearchResults:
    """ What a search found, grouped.

        Attributes:
            audit (AuditHits): Audit entries found.
            jobs (JobHits): Jobs found.
            query (str): The text searched for, trimmed.
            users (UserHits): Users found.
     """

    audit: AuditHits
    jobs: JobHits
    query: str
    users: UserHits
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.audit_hits import AuditHits # noqa: PLC0415
        from ..models.job_hits import JobHits # noqa: PLC0415
        from ..models.user_hits import UserHits # noqa: PLC0415
        audit = self.audit.to_dict()

        jobs = self.jobs.to_dict()

        query = self.query

        users = self.users.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "audit": audit,
            "jobs": jobs,
            "query": query,
            "users": users,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.audit_hits import AuditHits # noqa: PLC0415
        from ..models.job_hits import JobHits # noqa: PLC0415
        from ..models.user_hits import UserHits # noqa: PLC0415
        d = dict(src_dict)
        audit = AuditHits.from_dict(d.pop("audit"))




        jobs = JobHits.from_dict(d.pop("jobs"))




        query = d.pop("query")

        users = UserHits.from_dict(d.pop("users"))




        search_results = cls(
            audit=audit,
            jobs=jobs,
            query=query,
            users=users,
        )


        search_results.additional_properties = d
        return search_results

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
