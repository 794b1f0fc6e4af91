from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="JobEvent")



@_attrs_define
class JobEvent:
    """ One entry of a job's history.

        Attributes:
            created_at (datetime.datetime): When.
            kind (str): What happened: `job_created`, `status_changed`, `job_renamed`...
            payload (Any): Details.
            seq (int): Position in the history, from 1, without gaps.
     """

    created_at: datetime.datetime
    kind: str
    payload: Any
    seq: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        kind = self.kind

        payload = self.payload

        seq = self.seq


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "createdAt": created_at,
            "kind": kind,
            "payload": payload,
            "seq": seq,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        kind = d.pop("kind")

        payload = d.pop("payload")

        seq = d.pop("seq")

        job_event = cls(
            created_at=created_at,
            kind=kind,
            payload=payload,
            seq=seq,
        )


        job_event.additional_properties = d
        return job_event

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
