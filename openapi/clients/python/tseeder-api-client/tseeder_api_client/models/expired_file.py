from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="ExpiredFile")



@_attrs_define
class ExpiredFile:
    """ A file a dry run would delete.

        Attributes:
            file_id (str): The file.
            job_id (str): Its job.
            plan (str): The owner's plan.
            size (int): Its size.
            user_id (str): Its owner.
            completed_at (datetime.datetime | Unset): When its job completed.
     """

    file_id: str
    job_id: str
    plan: str
    size: int
    user_id: str
    completed_at: datetime.datetime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        file_id = self.file_id

        job_id = self.job_id

        plan = self.plan

        size = self.size

        user_id = self.user_id

        completed_at: str | Unset = UNSET
        if not isinstance(self.completed_at, Unset):
            completed_at = self.completed_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "fileId": file_id,
            "jobId": job_id,
            "plan": plan,
            "size": size,
            "userId": user_id,
        })
        if completed_at is not UNSET:
            field_dict["completedAt"] = completed_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        file_id = d.pop("fileId")

        job_id = d.pop("jobId")

        plan = d.pop("plan")

        size = d.pop("size")

        user_id = d.pop("userId")

        _completed_at = d.pop("completedAt", UNSET)
        completed_at: datetime.datetime | Unset
        if isinstance(_completed_at,  Unset):
            completed_at = UNSET
        else:
            completed_at = datetime.datetime.fromisoformat(_completed_at)




        expired_file = cls(
            file_id=file_id,
            job_id=job_id,
            plan=plan,
            size=size,
            user_id=user_id,
            completed_at=completed_at,
        )


        expired_file.additional_properties = d
        return expired_file

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
