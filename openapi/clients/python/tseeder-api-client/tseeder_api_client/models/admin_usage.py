from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="AdminUsage")



@_attrs_define
class AdminUsage:
    """ Consumption: a user's (in every organization), an organization's, or one member's within it.

        Attributes:
            active_jobs (int): Jobs in an active status.
            storage_bytes (int): Bytes of stored files.
            total_jobs (int): Jobs kept.
     """

    active_jobs: int
    storage_bytes: int
    total_jobs: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        active_jobs = self.active_jobs

        storage_bytes = self.storage_bytes

        total_jobs = self.total_jobs


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "activeJobs": active_jobs,
            "storageBytes": storage_bytes,
            "totalJobs": total_jobs,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        active_jobs = d.pop("activeJobs")

        storage_bytes = d.pop("storageBytes")

        total_jobs = d.pop("totalJobs")

        admin_usage = cls(
            active_jobs=active_jobs,
            storage_bytes=storage_bytes,
            total_jobs=total_jobs,
        )


        admin_usage.additional_properties = d
        return admin_usage

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
